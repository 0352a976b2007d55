package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import magicvideo.models.io.Sha256;
import magicvideo.pipeline.OptionChecks.InvalidOptionsException;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The job end to end on the DirectRunner, through {@link MagicVideoPipeline#run}. */
public class MagicVideoPipelineTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private MagicVideoOptions options(Path out, String... extra) throws IOException {
    List<String> args =
        JobOutputs.fastArgs(JobOutputs.writePrompts(folder.getRoot().toPath()), out);
    args.addAll(List.of(extra));
    return MagicVideoOptionsTest.parse(args.toArray(String[]::new));
  }

  private static PipelineResult run(MagicVideoOptions options) throws IOException {
    return MagicVideoPipeline.run(options, new PrintStream(OutputStream.nullOutputStream()));
  }

  /**
   * One scenario, because each run loads the model (seconds): a run stopped after the keyframes
   * (its tensors are what --resume checks, like videos), then a resume after one output was lost.
   * Full videos are compared across runners in {@link MagicVideoPipelineFlinkTest}.
   */
  @Test
  public void runWritesEveryOutputThenResumeRegeneratesOnlyWhatWasLost() throws IOException {
    Path out = folder.getRoot().toPath().resolve("out");
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    PipelineResult first =
        MagicVideoPipeline.run(
            options(out, "--until=keyframes", "--runId=r1"),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertEquals(PipelineResult.State.DONE, first.getState());
    Map<String, ManifestEntry> manifest = JobOutputs.manifest(out);
    assertEquals(4, manifest.size());
    for (ManifestEntry entry : manifest.values()) {
      Path tensors = out.resolve(entry.getTensors());
      assertEquals(entry.getBytes(), Files.size(tensors));
      assertEquals(entry.getSha256(), Sha256.of(tensors));
      assertEquals("magicvideo-tiny-random", entry.getModel().name());
    }
    String failures = String.join("\n", JobOutputs.jsonLines(out.resolve("failures")));
    assertThat(
        failures,
        containsString("\"line\":3,\"id\":null,\"stage\":\"validate\",\"kind\":\"empty_prompt\""));
    assertThat(
        failures,
        containsString(
            "\"line\":5,\"id\":null,\"stage\":\"validate\",\"kind\":\"prompt_too_long\""));
    assertEquals(2, JobOutputs.jsonLines(out.resolve("failures")).size());
    RunRecord record = RunRecord.readFrom(OutputLayout.at(out.toString()));
    assertEquals("DONE", record.state());
    assertEquals("r1", record.runId());
    assertEquals(Long.valueOf(6), record.counts().get("prompts/rows_read"));
    assertEquals(Long.valueOf(4), record.counts().get("magicvideo/videos_done"));
    assertEquals("keyframes", record.parameters().get("until"));
    assertThat(Files.readString(out.resolve("index.html")), containsString("4 videos; 2 failures"));
    assertThat(
        log.toString(StandardCharsets.UTF_8),
        containsString("videos 4 done, 0 failed, 0 skipped | rows 6 read, 2 rejected"));

    ManifestEntry lost = manifest.values().iterator().next();
    Files.delete(out.resolve(lost.getTensors()));
    PipelineResult resumed = run(options(out, "--until=keyframes", "--resume"));

    assertEquals(PipelineResult.State.DONE, resumed.getState());
    Map<String, ManifestEntry> union = JobOutputs.manifest(out);
    assertEquals(manifest.keySet(), union.keySet());
    assertEquals("same seed, same tensors", lost.getSha256(), union.get(lost.getId()).getSha256());
    RunRecord again = RunRecord.readFrom(OutputLayout.at(out.toString()));
    assertEquals(Long.valueOf(1), again.counts().get("magicvideo/videos_done"));
    assertEquals(Long.valueOf(3), again.counts().get("magicvideo/videos_skipped"));
  }

  @Test
  public void invalidOptionsStopTheRunBeforeAnythingIsWritten() throws IOException {
    Path out = folder.getRoot().toPath().resolve("out");

    assertThrows(InvalidOptionsException.class, () -> run(options(out, "--guidance=-1")));

    assertFalse(Files.exists(out.resolve("run.json")));
  }
}
