package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import magicvideo.transforms.gcs.FakeGcsServer;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.dataflow.util.DataflowTemplateJob;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The Dataflow job graph, built without a Dataflow service: {@link MagicVideoPipeline#run} with
 * DataflowRunner and {@code --templateLocation}, as a Flex Template launcher runs it. The runner
 * stages its files and the portable pipeline (pipeline.pb) to a bucket of {@link FakeGcsServer}
 * and writes the job to the template location instead of submitting it; Beam calls no other
 * Google API on the way (the fake records every call and would answer others 501).
 *
 * <p>With Runner v2 (use_runner_v2, as templates/dataflow/ builds the template) the job JSON has no
 * steps: the graph Dataflow runs is the staged pipeline.pb, where resource hints live on the
 * environments of the transforms. That is what the assertions read.
 */
public class MagicVideoPipelineDataflowTest {
  private static final String BUCKET = "bucket";
  private static final String TEMPLATE = "templates/magicvideo.json";
  private static final String ACCELERATOR = "type:nvidia-l4;count:1;install-nvidia-driver";
  private static final String WORKER_IMAGE = "us-docker.pkg.dev/p/magicvideo/worker:test";
  private static final String ACCELERATOR_URN = "beam:resources:accelerator:v1";
  private static final String NONE = "(none)";
  private static final List<String> GPU_STAGES =
      List.of("GenerateKeyframes", "InterpolateLatents", "DecodeVideo", "UpscaleVideo");

  /** Beam retries failed GCS calls with backoff for minutes: fail instead. */
  @Rule public final Timeout timeout = Timeout.seconds(120);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private FakeGcsServer gcs;

  @Before
  public void uploadPromptsAndModel() throws IOException {
    gcs = FakeGcsServer.start();
    gcs.putObject(
        BUCKET, "in/prompts.txt", "a red circle moving left\n".getBytes(StandardCharsets.UTF_8),
        "text/plain");
    try (Stream<Path> files = Files.list(TinyModel.directory())) {
      for (Path file : files.toList()) {
        gcs.putObject(
            BUCKET, "models/tiny/" + file.getFileName(), Files.readAllBytes(file),
            "application/octet-stream");
      }
    }
    FileSystems.setDefaultPipelineOptions(gcs.pipelineOptions());
  }

  @After
  public void stopFake() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    gcs.close();
  }

  @Test
  public void templateLaunchWritesTheGraphWithGpuHintsOnTheGpuStagesAndTheWorkerImage()
      throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    PipelineResult result =
        MagicVideoPipeline.run(
            MagicVideoOptionsTest.parse(args().toArray(String[]::new)),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(result, instanceOf(DataflowTemplateJob.class));
    assertThat(log.toString(StandardCharsets.UTF_8), containsString(
        "Job graph written to " + gs(TEMPLATE)));
    JsonNode job = new ObjectMapper().readTree(object(TEMPLATE));
    JsonNode environment = job.get("environment");
    assertThat(strings(environment.get("experiments")), hasItem("use_runner_v2"));
    assertEquals(WORKER_IMAGE,
        environment.at("/sdkPipelineOptions/options/sdkContainerImage").asText());
    for (JsonNode pool : environment.get("workerPools")) {
      assertEquals(WORKER_IMAGE, pool.get("workerHarnessContainerImage").asText());
      for (JsonNode image : pool.get("sdkHarnessContainerImages")) {
        assertEquals(WORKER_IMAGE, image.get("containerImage").asText());
      }
      // the one small file this test stages, not the test's classpath
      assertEquals(1, pool.get("packages").size());
    }

    RunnerApi.Pipeline graph = stagedPipeline(job);
    Map<String, String> accelerators = acceleratorByStep(graph);
    for (String stage : GPU_STAGES) {
      assertThat(accelerators, hasEntry("GenerateVideos/" + stage, ACCELERATOR));
    }
    // CPU steps stay off the GPU workers
    assertThat(accelerators, hasEntry("GenerateVideos/EncodeVideo", NONE));
    assertThat(accelerators, hasEntry("ReadPrompts/ParseRows", NONE));
    for (RunnerApi.Environment env : graph.getComponents().getEnvironmentsMap().values()) {
      assertEquals(WORKER_IMAGE, RunnerApi.DockerPayload.parseFrom(env.getPayload()).getContainerImage());
    }

    RunRecord record = RunRecord.readFrom(OutputLayout.at(gs("out")));
    assertEquals(MagicVideoPipeline.LAUNCHED, record.state());
    assertEquals(ACCELERATOR, record.parameters().get("accelerator"));
    assertEquals(WORKER_IMAGE, record.parameters().get("sdkContainerImage"));
    assertFalse(
        "a rerun from run.json must run, not write a template again",
        record.parameters().containsKey("templateLocation"));
    assertThat("nothing ran on the launcher", videosAndManifests(), empty());
    assertThat(gcs.unhandledCalls(), empty());
  }

  /** A Dataflow launch as a Flex Template launcher makes it, on the fake bucket. */
  private List<String> args() throws IOException {
    Path stagedFile = folder.newFile("staged.txt").toPath();
    Files.writeString(stagedFile, "staged instead of the 400 MB fat jar");
    List<String> args = JobOutputs.fastArgs(gs("in/prompts.txt"), gs("out"), gs("models/tiny"));
    args.addAll(List.of(gcs.pipelineArgs()));
    args.addAll(
        List.of(
            "--runner=DataflowRunner",
            "--project=magicvideo-test",
            "--region=us-central1",
            "--tempLocation=" + gs("tmp"),
            "--stagingLocation=" + gs("staging"),
            "--templateLocation=" + gs(TEMPLATE),
            "--experiments=use_runner_v2",
            "--sdkContainerImage=" + WORKER_IMAGE,
            "--filesToStage=" + stagedFile,
            "--accelerator=" + ACCELERATOR));
    return args;
  }

  /** The portable pipeline the runner staged; the job names it in its pipelineUrl option. */
  private RunnerApi.Pipeline stagedPipeline(JsonNode job) throws IOException {
    String url = job.at("/environment/sdkPipelineOptions/options/pipelineUrl").asText();
    assertThat(url, containsString(gs("staging/")));
    return RunnerApi.Pipeline.parseFrom(object(url.substring(gs("").length())));
  }

  /**
   * Step name to the accelerator hint of its environment ({@link #NONE} without one), for every step
   * that has an environment.
   */
  private static Map<String, String> acceleratorByStep(RunnerApi.Pipeline graph) {
    Map<String, RunnerApi.Environment> environments = graph.getComponents().getEnvironmentsMap();
    Map<String, String> accelerators = new TreeMap<>();
    for (RunnerApi.PTransform transform : graph.getComponents().getTransformsMap().values()) {
      RunnerApi.Environment environment = environments.get(transform.getEnvironmentId());
      if (environment != null) {
        var hint = environment.getResourceHintsMap().get(ACCELERATOR_URN);
        accelerators.put(transform.getUniqueName(), hint == null ? NONE : hint.toStringUtf8());
      }
    }
    assertThat("the steps have environments", accelerators.keySet(), not(empty()));
    return accelerators;
  }

  private List<String> videosAndManifests() {
    List<String> outputs = new ArrayList<>();
    for (String name : gcs.objectNames(BUCKET)) {
      if (name.startsWith("out/videos/") || name.startsWith("out/manifest/")) {
        outputs.add(name);
      }
    }
    return outputs;
  }

  private byte[] object(String name) {
    byte[] bytes = gcs.objectBytes(BUCKET, name);
    assertNotNull(gs(name) + " is missing", bytes);
    return bytes;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static String gs(String name) {
    return "gs://" + BUCKET + "/" + name;
  }
}
