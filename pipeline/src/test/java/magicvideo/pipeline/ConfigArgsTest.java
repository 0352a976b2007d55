package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import magicvideo.pipeline.OptionChecks.InvalidOptionsException;
import magicvideo.transforms.gcs.FakeGcsServer;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** {@code --config=FILE} through {@link MagicVideoPipeline#parseOptions}, the launcher's parsing. */
public class ConfigArgsTest {
  /** The gs:// case: Beam retries failed GCS calls for minutes; fail instead. */
  @Rule public final Timeout timeout = Timeout.seconds(60);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private String write(String name, String text) throws IOException {
    Path file = folder.getRoot().toPath().resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }

  private static MagicVideoOptions parse(String config, String... flags) {
    String[] args =
        Stream.concat(Stream.of("--config=" + config), Stream.of(flags)).toArray(String[]::new);
    return MagicVideoPipeline.parseOptions(args);
  }

  private static InvalidOptionsException invalid(String config, String... flags) {
    return assertThrows(InvalidOptionsException.class, () -> parse(config, flags));
  }

  @Test
  public void flagsOnTheCommandLineOverrideTheFile() throws IOException {
    String config =
        write(
            "c.yaml",
            "prompts: p.txt\n"
                + "output: out\n"
                + "steps: 12\n"
                + "guidance: 3.5\n"
                + "resume: true\n"
                + "experiments: [a, b]\n"
                + "runner: FlinkRunner\n"
                + "parallelism: 3\n");

    MagicVideoOptions options =
        parse(config, "--steps=4", "--resume=false", "--experiments=c", "--parallelism=5");

    assertEquals(4, options.getSteps());
    assertEquals(false, options.getResume());
    assertEquals("a list flag replaces the file's list", List.of("c"),
        options.as(ExperimentalOptions.class).getExperiments());
    assertEquals(Integer.valueOf(5), options.as(FlinkPipelineOptions.class).getParallelism());
    assertEquals(3.5, options.getGuidance(), 0);
    assertEquals("p.txt", options.getPrompts());
    assertEquals(FlinkRunner.class, options.getRunner());
    assertEquals(config, options.getConfig());
  }

  @Test
  public void yamlAndJsonConfigsGiveTheSameRun() throws IOException {
    String yaml =
        write(
            "c.yml",
            "prompts: p.txt\noutput: out\nsampler: ddim\nsteps: 12\nguidance: 3.5\n"
                + "experiments:\n  - a\n  - b\n");
    String json =
        write(
            "c.json",
            "{\"prompts\": \"p.txt\", \"output\": \"out\", \"sampler\": \"ddim\", \"steps\": 12,"
                + " \"guidance\": 3.5, \"experiments\": [\"a\", \"b\"]}");

    MagicVideoOptions fromYaml = parse(yaml);
    MagicVideoOptions fromJson = parse(json);

    assertEquals(12, fromYaml.getSteps());
    assertEquals("ddim", fromYaml.getSampler());
    assertEquals(RunParameters.of(fromYaml), RunParameters.of(fromJson));
    assertThat(
        "the file's values are recorded, not its name",
        RunParameters.of(fromYaml).toString(),
        not(containsString("c.yml")));
  }

  @Test
  public void everyWrongOptionIsNamedWithFileAndLineInOneMessage() throws IOException {
    String config =
        write(
            "wrong.yaml",
            "prompts: p.txt\n"
                + "output: out\n"
                + "stepz: 12\n"
                + "guidance: lots\n"
                + "accelerator:\n"
                + "help: true\n");

    String message = invalid(config).getMessage();

    assertThat(
        message,
        containsString(
            config + ", line 3: 'stepz': Class interface magicvideo.pipeline.MagicVideoOptions"
                + " missing a property named 'stepz'. Did you mean 'steps'?"));
    assertThat(message, containsString(config + ", line 4: 'guidance': Cannot deserialize value"));
    assertThat(message, containsString(config + ", line 5: 'accelerator' has no value"));
    assertThat(message, containsString(config + ", line 6: 'help' cannot be set"));
    assertThat(message, not(containsString("Source: UNKNOWN")));
  }

  @Test
  public void aMissingFileIsNamed() {
    String missing = folder.getRoot().toPath().resolve("nowhere.yaml").toString();

    assertThat(
        invalid(missing).getMessage(), containsString("--config=" + missing + " cannot be read"));
  }

  @Test
  public void oneConfigPerLaunch() throws IOException {
    String config = write("c.yaml", "steps: 3\n");

    assertThat(
        invalid(config, "--config=" + config).getMessage(),
        containsString("--config is given 2 times"));
  }

  @Test
  public void aConfigInABucketIsReadWithTheCommandLinesStorageOptions() throws Exception {
    try (FakeGcsServer gcs = FakeGcsServer.start()) {
      gcs.putObject(
          "bucket",
          "configs/run.yaml",
          "prompts: gs://bucket/p.txt\noutput: gs://bucket/out\nsteps: 7\n"
              .getBytes(StandardCharsets.UTF_8),
          "application/yaml");

      MagicVideoOptions options = parse("gs://bucket/configs/run.yaml", gcs.pipelineArgs());

      assertEquals(7, options.getSteps());
      assertEquals("gs://bucket/out", options.getOutput());
    } finally {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    }
  }
}
