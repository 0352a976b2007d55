package magicvideo.pipeline;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * SLOW (one to two minutes: two full runs with video encoding): the job on an embedded Flink
 * cluster ({@code --flinkMaster=[local]}) through {@link MagicVideoPipeline#run} writes the same
 * manifest ids, video bytes and failures as on the DirectRunner. The module's one Flink test.
 */
public class MagicVideoPipelineFlinkTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private RunRecord run(Path out, String... runnerFlags) throws IOException {
    Path prompts = JobOutputs.writePrompts(folder.getRoot().toPath());
    List<String> args = JobOutputs.fastArgs(prompts, out);
    args.addAll(List.of(runnerFlags));
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    PipelineResult result =
        MagicVideoPipeline.run(MagicVideoOptionsTest.parse(args.toArray(String[]::new)), quiet);

    assertEquals(args.toString(), PipelineResult.State.DONE, result.getState());
    return RunRecord.readFrom(OutputLayout.at(out.toString()));
  }

  @Test
  public void flinkLocalClusterWritesTheDirectRunnersVideos() throws IOException {
    Path direct = folder.getRoot().toPath().resolve("direct");
    Path flink = folder.getRoot().toPath().resolve("flink");

    RunRecord onDirect = run(direct, "--runner=DirectRunner");
    RunRecord onFlink =
        run(flink, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");

    Map<String, ManifestEntry> directVideos = JobOutputs.manifest(direct);
    Map<String, ManifestEntry> flinkVideos = JobOutputs.manifest(flink);
    assertEquals(4, flinkVideos.size());
    assertEquals(directVideos.keySet(), flinkVideos.keySet());
    for (ManifestEntry entry : flinkVideos.values()) {
      ManifestEntry onDirectRunner = directVideos.get(entry.getId());
      assertEquals(entry.getId(), onDirectRunner.getSha256(), entry.getSha256());
      assertEquals(onDirectRunner.getVideo(), entry.getVideo());
      assertEquals(entry.getSha256(), Sha256.of(flink.resolve(entry.getVideo())));
      assertEquals(
          Files.size(direct.resolve(entry.getPreview())),
          Files.size(flink.resolve(entry.getPreview())));
    }
    assertEquals(
        JobOutputs.jsonLines(direct.resolve("failures")),
        JobOutputs.jsonLines(flink.resolve("failures")));
    assertEquals(onDirect.counts(), onFlink.counts());
  }
}
