package magicvideo.pipeline;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * SLOW (about 30-60 s): the job on an embedded Flink cluster ({@code --flinkMaster=[local]})
 * through {@link MagicVideoPipeline#run} gives the DirectRunner's outputs. The one Flink test of the
 * module; everything else runs on the DirectRunner.
 */
public class MagicVideoPipelineFlinkTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private RunRecord run(String runner, Path out, String... runnerFlags) throws IOException {
    Path prompts = JobOutputs.writePrompts(folder.getRoot().toPath());
    String[] common = {"--prompts=" + prompts, "--output=" + out, "--runner=" + runner,
        "--model=" + TinyModel.directory(), "--maxPromptChars=" + JobOutputs.MAX_PROMPT_CHARS};
    String[] args = new String[common.length + runnerFlags.length];
    System.arraycopy(common, 0, args, 0, common.length);
    System.arraycopy(runnerFlags, 0, args, common.length, runnerFlags.length);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    PipelineResult result = MagicVideoPipeline.run(MagicVideoOptionsTest.parse(args), quiet);

    assertEquals(runner, PipelineResult.State.DONE, result.getState());
    return RunRecord.readFrom(OutputLayout.at(out.toString()));
  }

  @Test
  public void flinkLocalClusterWritesWhatTheDirectRunnerWrites() throws IOException {
    Path direct = folder.getRoot().toPath().resolve("direct");
    Path flink = folder.getRoot().toPath().resolve("flink");

    RunRecord onDirect = run("DirectRunner", direct);
    RunRecord onFlink = run("FlinkRunner", flink, "--flinkMaster=[local]", "--parallelism=2");

    assertEquals(2, JobOutputs.jsonLines(flink.resolve("failures")).size());
    assertEquals(JobOutputs.jsonLines(direct.resolve("failures")),
        JobOutputs.jsonLines(flink.resolve("failures")));
    assertEquals(onDirect.counts(), onFlink.counts());
    assertEquals("DONE", onFlink.state());
  }
}
