package magicvideo.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import magicvideo.models.io.Sha256;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A finished run's {@code OUT/run.json} given back as {@code --config}, with only a new output,
 * makes the same videos, byte for byte, and records the same parameters.
 */
public class RerunFromRunRecordTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** One prompt: each full video (4x upscale, encoding) costs seconds on two cores. */
  private static final String PROMPT = "a red circle moving left\n";

  private static RunRecord run(Path out, String... args) throws IOException {
    MagicVideoOptions options = MagicVideoPipeline.parseOptions(args);
    PipelineResult result =
        MagicVideoPipeline.run(options, new PrintStream(OutputStream.nullOutputStream()));
    assertEquals(PipelineResult.State.DONE, result.getState());
    return RunRecord.readFrom(OutputLayout.at(out.toString()));
  }

  @Test
  public void rerunFromRunJsonMakesTheSameVideos() throws IOException {
    Path prompts = folder.getRoot().toPath().resolve("prompts.txt");
    Files.writeString(prompts, PROMPT);
    Path first = folder.getRoot().toPath().resolve("first");
    Path again = folder.getRoot().toPath().resolve("again");
    List<String> args = JobOutputs.fastArgs(prompts, first);
    // a quarter of the tiny model's pixels, a non-default seed and sampler: the rerun must take
    // every one of them from run.json, not from the defaults
    args.addAll(List.of("--width=16", "--height=16", "--runSeed=7", "--sampler=ddim"));

    RunRecord original = run(first, args.toArray(String[]::new));
    RunRecord rerun =
        run(again, "--config=" + first.resolve("run.json"), "--output=" + again);

    Map<String, ManifestEntry> videos = JobOutputs.manifest(first);
    Map<String, ManifestEntry> rerunVideos = JobOutputs.manifest(again);
    assertEquals(1, videos.size());
    assertEquals(videos.keySet(), rerunVideos.keySet());
    for (ManifestEntry video : videos.values()) {
      ManifestEntry same = rerunVideos.get(video.getId());
      assertNotNull(video.getVideo());
      assertEquals(video.getSha256(), same.getSha256());
      assertEquals(video.getSha256(), Sha256.of(again.resolve(same.getVideo())));
    }
    Map<String, Object> expected = new HashMap<>(original.parameters());
    expected.put("output", again.toString());
    assertEquals("run.json records what it was rerun with", expected, rerun.parameters());
  }
}
