package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The shipped configs of {@code templates/configs/}: each parses and passes the launcher's checks
 * of values; the local one runs. Paths in a config are relative to the repository root, the
 * working directory of {@code bin/magicvideo}; the tests run in {@code pipeline/}.
 */
public class RunConfigTemplatesTest {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path CONFIGS = REPOSITORY.resolve("templates/configs");
  private static final String ACCELERATOR = "type:nvidia-l4;count:1;install-nvidia-driver";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static MagicVideoOptions parse(String config, String... flags) {
    List<String> args = Stream.concat(
        Stream.of("--config=" + CONFIGS.resolve(config)), Stream.of(flags)).toList();
    MagicVideoOptions options = MagicVideoPipeline.parseOptions(args.toArray(String[]::new));
    assertThat(config, OptionChecks.valueProblems(options), empty());
    return options;
  }

  @Test
  public void everyShippedConfigIsCoveredHere() throws IOException {
    try (Stream<Path> files = Files.list(CONFIGS)) {
      Set<String> configs =
          files
              .map(file -> file.getFileName().toString())
              .filter(name -> name.endsWith(".yaml"))
              .collect(Collectors.toSet());
      assertEquals(Set.of("local-smoke.yaml", "flink-cluster.yaml", "dataflow-l4.yaml"), configs);
    }
  }

  /**
   * Runs the smoke config as shipped but for the paths (the tiny test model, a temporary output)
   * and {@code --until=keyframes}: its cheap settings still take tens of seconds to make videos.
   */
  @Test
  public void localSmokeRunsOnTheExamplePrompts() throws IOException {
    MagicVideoOptions shipped = parse("local-smoke.yaml");
    assertEquals(DirectRunner.class, shipped.getRunner());
    Path examples = REPOSITORY.resolve(shipped.getPrompts());
    assertTrue(examples + " exists", Files.isRegularFile(examples));
    Path out = folder.getRoot().toPath().resolve("out");

    MagicVideoOptions options =
        parse(
            "local-smoke.yaml",
            "--prompts=" + examples,
            "--output=" + out,
            "--model=" + TinyModel.directory(),
            "--until=keyframes");
    PipelineResult result =
        MagicVideoPipeline.run(options, new PrintStream(OutputStream.nullOutputStream()));

    assertEquals(PipelineResult.State.DONE, result.getState());
    Map<String, ManifestEntry> manifest = JobOutputs.manifest(out);
    assertEquals(Files.readAllLines(examples).size(), manifest.size());
    for (ManifestEntry entry : manifest.values()) {
      assertEquals(shipped.getSteps(), entry.getSteps());
      assertThat(entry.getTensors(), startsWith("tensors/"));
    }
    Map<String, Object> parameters =
        RunRecord.readFrom(OutputLayout.at(out.toString())).parameters();
    assertEquals(shipped.getInterpolationSteps(), parameters.get("interpolationSteps"));
    assertEquals(shipped.getNumShards(), parameters.get("numShards"));
    assertEquals("keyframes", parameters.get("until"));
  }

  @Test
  public void flinkClusterConfigTargetsASessionClusterWithTheFatJar() {
    MagicVideoOptions options = parse("flink-cluster.yaml");

    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    assertEquals(FlinkRunner.class, options.getRunner());
    assertTrue(flink.getFlinkMaster(), flink.getFlinkMaster().matches("[\\w.-]+:\\d+"));
    assertTrue(flink.getParallelism() > 1);
    assertTrue(
        "every slot gets a shard", options.getNumShards() >= flink.getParallelism());
    assertEquals(List.of("pipeline/target/magicvideo.jar"), flink.getFilesToStage());
    assertEquals(1, options.getBatchSize());
  }

  @Test
  public void dataflowConfigRunsTheGpuStagesOnL4Workers() {
    MagicVideoOptions options = parse("dataflow-l4.yaml");

    DataflowPipelineOptions dataflow = options.as(DataflowPipelineOptions.class);
    assertEquals(DataflowRunner.class, options.getRunner());
    assertEquals("g2-standard-8", dataflow.getWorkerMachineType());
    assertEquals(ACCELERATOR, options.getAccelerator());
    assertEquals(
        List.of("worker_accelerator=" + ACCELERATOR), dataflow.getDataflowServiceOptions());
    assertTrue(dataflow.getExperiments().contains("use_runner_v2"));
    assertThat(dataflow.getSdkContainerImage(), startsWith("us-central1-docker.pkg.dev/"));
    for (String path :
        List.of(dataflow.getTempLocation(), dataflow.getStagingLocation(), options.getPrompts())) {
      assertThat(path, startsWith("gs://"));
    }
    assertEquals(Map.of("app", "magicvideo", "config", "dataflow-l4"), dataflow.getLabels());
  }
}
