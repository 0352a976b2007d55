package magicvideo.models.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.VideoGenerator;
import magicvideo.models.generate.VideoRequest;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.shapes.Caption;
import magicvideo.models.shapes.ClipAnalysis;
import magicvideo.models.shapes.ShapesEvaluation;
import org.junit.Test;

/** The model the repository ships (models/demo) follows a prompt, end to end on the CPU. */
public class ShippedDemoModelTest {
  /** The shipped model, relative to this module (tests run in models/). */
  static final Path SHIPPED = Path.of("demo");

  @Test
  public void shippedModelIsVerifiedAndSmall() throws Exception {
    ModelDirectory model = ModelDirectory.open(SHIPPED); // checks every file's sha256
    assertEquals(TrainDemo.NAME, model.manifest().name());
    long bytes;
    try (var files = Files.list(SHIPPED)) {
      bytes = files.mapToLong(f -> f.toFile().length()).sum();
    }
    assertTrue("the shipped model takes " + bytes + " bytes; the budget is 30 MB", bytes <= 30L << 20);
  }

  /** Colour, shape and direction of motion of the prompt, the shape on every one of the 61 frames. */
  @Test
  public void generatesAVideoThatShowsItsPrompt() throws Exception {
    String prompt = "a blue square moving right";
    VideoFrames video;
    try (VideoGenerator generator = VideoGenerator.open(SHIPPED)) {
      video = generator.generate(new VideoRequest("test", prompt, "", 7), GenerationSettings.defaults());
    }
    assertEquals(ShapesData.FRAMES, video.frames());
    assertEquals(ShapesData.HIGH_SIZE, video.height());
    ClipAnalysis.Result analysis = ClipAnalysis.analyse(video);
    ShapesEvaluation.Verdict verdict = ShapesEvaluation.Verdict.of(Caption.parse(prompt).orElseThrow(), analysis);
    String seen = prompt + " -> " + analysis.colour() + " " + analysis.shape() + " moving " + analysis.direction()
        + " on " + analysis.framesWithShape() + " of " + analysis.frames() + " frames";
    assertTrue(seen, verdict.colour() && verdict.shape() && verdict.direction());
    assertEquals(seen, video.frames(), analysis.framesWithShape());
  }
}
