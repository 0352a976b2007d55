package magicvideo.transforms.stages;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.RandomModels;
import magicvideo.models.generate.Stage;
import magicvideo.models.io.SafeTensors;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.prompts.PromptFailure;
import magicvideo.transforms.prompts.PromptRequest;
import magicvideo.transforms.video.PreviewFormat;
import magicvideo.transforms.video.VideoFormat;
import magicvideo.transforms.video.VideoInfo;
import magicvideo.transforms.video.VideoProbe;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The generation graph on the DirectRunner with the tiny random model. */
public class GenerateVideosTest {
  @ClassRule public static final TemporaryFolder MODEL = new TemporaryFolder();
  @Rule public final TemporaryFolder out = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static String modelDir;
  private static final GenerationSettings FAST = GenerationSettings.defaults().withSteps(2).withStageSteps(1, 1).withKeyframes(4);

  @BeforeClass
  public static void writeModel() throws Exception {
    Path dir = MODEL.getRoot().toPath().resolve("tiny");
    RandomModels.writeTiny(dir, 7);
    modelDir = dir.toString();
  }

  private static PromptRequest request(String id, String prompt, long seed) {
    return PromptRequest.builder().setId(id).setPrompt(prompt).setSeed(seed).setSource("test.txt").setLine(1).build();
  }

  private OutputConfig output() {
    return new OutputConfig(OutputLayout.at(out.getRoot().getPath()), VideoFormat.MP4, PreviewFormat.GIF, 64);
  }

  @Test
  public void promptsBecomeVideosWithManifestEntries() throws Exception {
    List<PromptRequest> requests = List.of(request("a", "a red circle moving left", 1),
        request("b", "a blue square moving up", 2), request("c", "a green triangle moving right", 3));
    PCollectionTuple result = pipeline.apply(Create.of(requests))
        .apply(GenerateVideos.with(new StageConfig(modelDir, FAST), output()).withSharding(2, 2));
    String root = out.getRoot().getPath();
    PAssert.that(result.get(GenerateVideos.FAILURES)).empty();
    PAssert.that(result.get(GenerateVideos.MANIFEST)).satisfies(entries -> {
      List<ManifestEntry> list = StreamSupport.stream(entries.spliterator(), false).collect(Collectors.toList());
      assertEquals(3, list.size());
      for (ManifestEntry e : list) {
        assertEquals(13, e.getFrames());
        assertEquals(128, e.getWidth());
        assertTrue(e.getVideo(), e.getVideo().endsWith(e.getId() + ".mp4"));
        assertTrue(e.getStageSeconds().keySet().containsAll(List.of("keyframes", "interpolate", "decode", "upscale", "encode")));
        try {
          Path video = Path.of(root).resolve(e.getVideo());
          assertEquals(e.getBytes(), Files.size(video));
          VideoInfo info = VideoProbe.probe(video);
          assertEquals("h264", info.codec());
          assertEquals(13, info.frames());
          assertEquals(128, info.width());
          assertEquals(8.0, info.fps(), 1e-6);
          assertTrue(Files.exists(Path.of(root).resolve(e.getPreview())));
        } catch (Exception ex) {
          throw new AssertionError(ex);
        }
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
    try (var files = Files.walk(out.getRoot().toPath())) {
      assertTrue("no temporary file may remain",
          files.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
    }
  }

  @Test
  public void aVideoThatFailsGoesToFailuresAndTheOthersFinish() {
    // a per-row step count the settings refuse fails that video alone, in the keyframe stage
    PromptRequest bad = request("bad", "a white circle moving down", 4).toBuilder().setSteps(5000).build();
    List<PromptRequest> requests = List.of(request("good", "a red circle moving left", 1), bad);
    PCollectionTuple result = pipeline.apply(Create.of(requests))
        .apply(GenerateVideos.with(new StageConfig(modelDir, FAST), output()).withSharding(1, 2).until(Stage.KEYFRAMES));
    PAssert.that(result.get(GenerateVideos.FAILURES)).satisfies(failures -> {
      List<PromptFailure> list = new ArrayList<>();
      failures.forEach(list::add);
      assertEquals(1, list.size());
      assertEquals("bad", list.get(0).getId());
      assertEquals("keyframes", list.get(0).getStage());
      assertTrue(list.get(0).getReason(), list.get(0).getReason().contains("steps"));
      return null;
    });
    String root = out.getRoot().getPath();
    PAssert.that(result.get(GenerateVideos.MANIFEST)).satisfies(entries -> {
      ManifestEntry e = entries.iterator().next();
      assertEquals("good", e.getId());
      assertNull(e.getVideo());
      try {
        var tensors = SafeTensors.read(Path.of(root).resolve(e.getTensors()));
        assertEquals(List.of(4L, 4L, 8L, 8L), java.util.Arrays.stream(tensors.get("latents").shape()).boxed().toList());
      } catch (Exception ex) {
        throw new AssertionError(ex);
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
