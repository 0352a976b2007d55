package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import magicvideo.pipeline.OptionChecks.InvalidOptionsException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Option problems fail at once, all in one message, before any model is loaded. */
public class OptionChecksTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path prompts;
  private Path out;

  @Before
  public void files() throws IOException {
    prompts = folder.newFile("prompts.txt").toPath();
    Files.writeString(prompts, "a red circle moving left\n");
    out = folder.getRoot().toPath().resolve("out");
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  private MagicVideoOptions options(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("--prompts=" + prompts, "--output=" + out, "--model=" + TinyModel.directory()));
    args.addAll(List.of(extra));
    return MagicVideoOptionsTest.parse(args.toArray(String[]::new));
  }

  private static List<String> problems(MagicVideoOptions options) {
    return assertThrows(InvalidOptionsException.class, () -> OptionChecks.check(options))
        .problems();
  }

  @Test
  public void validOptionsPass() {
    OptionChecks.check(
        options(
            "--sampler=DDIM",
            "--format=webm",
            "--preview=none",
            "--until=keyframes",
            "--accelerator=type:nvidia-l4;count:1;install-nvidia-driver"));
  }

  @Test
  public void everyBadValueIsListedInOneMessage() {
    MagicVideoOptions options =
        options(
            "--sampler=euler",
            "--format=avi",
            "--preview=png",
            "--until=paint",
            "--steps=0",
            "--guidance=-1",
            "--videosPerPrompt=0",
            "--batchSize=0",
            "--accelerator=nvidia-l4");

    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> OptionChecks.check(options));

    assertEquals(e.getMessage(), 9, e.problems().size());
    assertThat(
        e.getMessage(), startsWith("Invalid options:\n  - --sampler: Unknown sampler 'euler'"));
    assertThat(e.getMessage(), containsString("--format=avi is unknown; valid: mp4, webm"));
    assertThat(e.getMessage(), containsString("--preview=png is unknown; valid: gif, jpg, none"));
    assertThat(
        e.getMessage(),
        containsString(
            "--until=paint is unknown; valid: keyframes, interpolate, decode, upscale, encode"));
    assertThat(e.getMessage(), containsString("--steps must be in [1, 1000], got 0"));
    assertThat(e.getMessage(), containsString("--guidance must be in [0, 100], got -1.0"));
    assertThat(e.getMessage(), containsString("--videosPerPrompt must be >= 1, got 0"));
    assertThat(e.getMessage(), containsString("--batchSize must be >= 1, got 0"));
    assertThat(e.getMessage(), containsString("--accelerator 'nvidia-l4' must start with type:"));
  }

  @Test
  public void missingPromptsAndOutputAreNamedWhenRunIsCalledDirectly() {
    MagicVideoOptions options = PipelineOptionsFactory.as(MagicVideoOptions.class);

    List<String> problems = problems(options);

    assertThat(problems, hasItem(startsWith("--prompts is missing")));
    assertThat(problems, hasItem(startsWith("--output is missing")));
  }

  @Test
  public void promptsThatMatchNothingAndAnUnwritableOutputAreReported() throws IOException {
    Path file = folder.newFile("not-a-folder").toPath();

    List<String> problems =
        problems(
            MagicVideoOptionsTest.parse(
                "--prompts=" + folder.getRoot() + "/nothing-*.txt",
                "--output=" + file.resolve("out"),
                "--model=" + folder.getRoot()));

    assertThat(problems, hasItem(containsString("nothing-*.txt matches no file")));
    assertThat(problems, hasItem(containsString("/not-a-folder/out is not writable")));
    assertThat(problems, hasItem(containsString("has no model.json")));
    assertEquals(problems.toString(), 3, problems.size());
  }

  @Test
  public void anEarlierManifestNeedsResumeAndATakenRunIdIsRefused() throws IOException {
    Files.createDirectories(out.resolve("manifest"));
    Files.writeString(out.resolve("manifest/r1-00000-of-00001.jsonl"), "");

    assertThat(problems(options("--runId=r2")), hasItem(containsString("add --resume")));
    assertThat(
        problems(options("--runId=r1", "--resume")),
        hasItem(containsString("--runId=r1 is taken")));
    OptionChecks.check(options("--runId=r2", "--resume"));
  }

  @Test
  public void dataflowNeedsRemotePaths() {
    MagicVideoOptions options =
        MagicVideoOptionsTest.parse(
            "--runner=DataflowRunner", "--prompts=gs://b/p.txt", "--output=/local/out");

    assertThat(
        OptionChecks.valueProblems(options),
        hasItem(containsString("--output=/local/out is local, but DataflowRunner workers")));
    assertThat(
        OptionChecks.valueProblems(options), hasItem(containsString("--model=demo is local")));
  }
}
