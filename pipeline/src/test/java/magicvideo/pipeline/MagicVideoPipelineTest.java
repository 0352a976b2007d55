package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import magicvideo.pipeline.OptionChecks.InvalidOptionsException;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import magicvideo.transforms.prompts.PromptIds;
import magicvideo.transforms.prompts.PromptRequest;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The job as it stands, end to end on the DirectRunner through {@link MagicVideoPipeline#run}. */
public class MagicVideoPipelineTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private MagicVideoOptions options(Path out, String... extra) throws IOException {
    Path prompts = JobOutputs.writePrompts(folder.getRoot().toPath());
    List<String> args = new ArrayList<>(List.of("--prompts=" + prompts,
        "--output=" + out, "--model=" + TinyModel.directory(),
        "--maxPromptChars=" + JobOutputs.MAX_PROMPT_CHARS, "--runId=direct-1"));
    args.addAll(List.of(extra));
    return MagicVideoOptionsTest.parse(args.toArray(String[]::new));
  }

  @Test
  public void directRunWritesFailuresRunRecordAndGallery() throws IOException {
    Path out = folder.getRoot().toPath().resolve("out");
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    PipelineResult result =
        MagicVideoPipeline.run(options(out), new PrintStream(log, true, StandardCharsets.UTF_8));

    assertEquals(PipelineResult.State.DONE, result.getState());
    Set<String> failures = JobOutputs.jsonLines(out.resolve("failures"));
    assertEquals(failures.toString(), 2, failures.size());
    assertThat(failures.stream().collect(Collectors.joining("\n")),
        containsString("\"line\":3,\"id\":null,\"stage\":\"validate\",\"kind\":\"empty_prompt\""));
    assertThat(failures.stream().collect(Collectors.joining("\n")),
        containsString("\"line\":5,\"id\":null,\"stage\":\"validate\",\"kind\":\"prompt_too_long\""));
    RunRecord record = RunRecord.readFrom(OutputLayout.at(out.toString()));
    assertEquals("DONE", record.state());
    assertEquals("direct-1", record.runId());
    assertEquals(Long.valueOf(6), record.counts().get("prompts/rows_read"));
    assertEquals(Long.valueOf(4), record.counts().get("magicvideo/videos_pending"));
    assertEquals(JobOutputs.MAX_PROMPT_CHARS, record.parameters().get("maxPromptChars"));
    assertEquals("magicvideo-tiny-random", record.model().name());
    String gallery = Files.readString(out.resolve("index.html"));
    assertThat(gallery, containsString("0 videos; 2 failures"));
    assertThat(log.toString(StandardCharsets.UTF_8),
        containsString("Finished DONE in"));
    assertThat(log.toString(StandardCharsets.UTF_8),
        containsString("0 videos done, 0 failed, 0 skipped as complete; 6 rows read, 2 rejected."));
  }

  @Test
  public void invalidOptionsStopTheRunBeforeAnythingIsWritten() throws IOException {
    Path out = folder.getRoot().toPath().resolve("out");

    assertThrows(InvalidOptionsException.class,
        () -> MagicVideoPipeline.run(options(out, "--steps=0"), System.out));

    assertFalse(Files.exists(out.resolve("run.json")));
  }

  @Test
  public void graphSkipsTheIdsAnEarlierRunCompleted() throws IOException {
    MagicVideoOptions options = options(folder.getRoot().toPath().resolve("out"));
    String firstRow = PromptIds.derive("prompts.txt", 1, "a red circle moving left");
    RunPlan resumed = new RunPlan(options, OutputLayout.at(options.getOutput()),
        TinyModel.directory().toString(), ModelLocator.describe(TinyModel.directory().toString()),
        Set.of(firstRow), Map.of());

    PCollection<PromptRequest> pending = MagicVideoPipeline.buildGraph(pipeline, resumed);

    PCollection<String> prompts =
        pending.apply(MapElements.into(TypeDescriptors.strings()).via(PromptRequest::getPrompt));
    PAssert.that(prompts).containsInAnyOrder(
        "a blue square moving up", "a green triangle moving right", "a white square moving left");
    pipeline.run().waitUntilFinish();
  }
}
