package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import magicvideo.models.generate.GenerationSettings;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.junit.Test;

public class MagicVideoOptionsTest {
  static MagicVideoOptions parse(String... args) {
    return MagicVideoPipeline.parseOptions(args);
  }

  @Test
  public void flagsParseIntoTheirOptions() {
    MagicVideoOptions options =
        parse(
            "--prompts=p/*.jsonl",
            "--output=gs://b/out",
            "--sampler=ddim",
            "--steps=12",
            "--guidance=3.5",
            "--negativePrompt=blurry",
            "--videosPerPrompt=2",
            "--format=webm",
            "--preview=jpg",
            "--until=decode",
            "--resume",
            "--accelerator=type:nvidia-l4;count:1;install-nvidia-driver",
            "--runId=r1");

    assertEquals("p/*.jsonl", options.getPrompts());
    assertEquals("gs://b/out", options.getOutput());
    assertEquals("ddim", options.getSampler());
    assertEquals(12, options.getSteps());
    assertEquals(3.5, options.getGuidance(), 0);
    assertEquals("blurry", options.getNegativePrompt());
    assertEquals(2, options.getVideosPerPrompt());
    assertEquals("webm", options.getFormat());
    assertEquals("jpg", options.getPreview());
    assertEquals("decode", options.getUntil());
    assertTrue(options.getResume());
    assertEquals("type:nvidia-l4;count:1;install-nvidia-driver", options.getAccelerator());
    assertEquals("r1", options.getRunId());
  }

  @Test
  public void generationDefaultsAreTheGeneratorsDefaults() {
    MagicVideoOptions options = parse("--prompts=p.txt", "--output=out");

    assertEquals(GenerationSettings.defaults(), RunSettings.generation(options));
    assertEquals(ModelLocator.DEMO, options.getModel());
    assertEquals(Choices.FULL_RUN, options.getUntil());
    assertFalse(options.getResume());
  }

  @Test
  public void eachLaunchGetsItsOwnRunId() {
    String first = parse("--prompts=p.txt", "--output=out").getRunId();
    String second = parse("--prompts=p.txt", "--output=out").getRunId();

    assertThat(first, matchesPattern("\\d{8}-\\d{6}-[0-9a-f]{6}"));
    assertNotEquals(first, second);
  }

  @Test
  public void runnerOptionsAreReachableBesideOurs() {
    MagicVideoOptions options =
        parse(
            "--prompts=p.txt",
            "--output=out",
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=2",
            "--project=my-project",
            "--region=us-central1",
            "--workerMachineType=g2-standard-8",
            "--sdkContainerImage=gcr.io/p/magicvideo-gpu:1",
            "--gcsEndpoint=http://127.0.0.1:9/storage/v1/");

    assertEquals(FlinkRunner.class, options.getRunner());
    assertEquals("[local]", options.as(FlinkPipelineOptions.class).getFlinkMaster());
    assertEquals(Integer.valueOf(2), options.as(FlinkPipelineOptions.class).getParallelism());
    DataflowPipelineOptions dataflow = options.as(DataflowPipelineOptions.class);
    assertEquals("my-project", dataflow.getProject());
    assertEquals("us-central1", dataflow.getRegion());
    assertEquals("g2-standard-8", dataflow.getWorkerMachineType());
    assertEquals("gcr.io/p/magicvideo-gpu:1", dataflow.getSdkContainerImage());
    assertEquals("http://127.0.0.1:9/storage/v1/", options.as(GcsOptions.class).getGcsEndpoint());
  }

  @Test
  public void missingRequiredOptionsAreNamedByBeam() {
    // --prompts is not required here: --from may replace it (OptionChecks wants one of the two)
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parse("--prompts=p.txt"));

    assertThat(e.getMessage(), containsString("--output"));
  }
}
