package magicvideo.models.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import magicvideo.models.generate.ModelComponents;
import magicvideo.models.io.ModelDirectory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DemoTrainerTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /**
   * A few steps of every stage lower that stage's loss on its fixed probe batches (same clips,
   * noise and timesteps before and after), and the result is a loadable model directory.
   */
  @Test
  public void shortRunLowersTheLossOfEveryComponentAndWritesAModel() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingBudget budget = TrainingBudget.smoke();
    ModelDirectory model;
    List<TrainingLoop.Result> results;
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        DemoTrainer trainer = new DemoTrainer(DemoConfigs.standard(), budget, 7, out)) {
      trainer.trainAll();
      results = trainer.results();
      model = TrainDemo.write(trainer, tmp.getRoot().toPath().resolve("demo"), 7);
    }
    assertEquals(List.of("vae", "vae-temporal", "keyframes", "interpolation", "superres"),
        results.stream().map(TrainingLoop.Result::name).toList());
    for (TrainingLoop.Result r : results) {
      assertTrue(r.name() + ": probe loss " + r.probeBefore() + " -> " + r.probeAfter() + "\n" + log,
          r.probeAfter() < r.probeBefore());
    }
    ModelDirectory reopened = ModelDirectory.open(model.root());
    for (String c : List.of(ModelComponents.TEXT_ENCODER, ModelComponents.KEYFRAME_UNET,
        ModelComponents.INTERPOLATION_UNET, ModelComponents.VAE, ModelComponents.SUPERRES_UNET)) {
      assertTrue(c, reopened.manifest().components().containsKey(c));
    }
  }
}
