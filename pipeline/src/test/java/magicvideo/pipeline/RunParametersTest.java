package magicvideo.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.Test;

public class RunParametersTest {
  @Test
  public void everyOwnOptionAndTheUsersRunnerOptionsAreKeptFlat() {
    MagicVideoOptions options =
        MagicVideoOptionsTest.parse(
            "--prompts=/p.txt",
            "--output=/out",
            "--steps=12",
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--runId=r-1",
            "--experiments=a,b");

    Map<String, Object> parameters = RunParameters.of(options);

    assertEquals(12, parameters.get("steps"));
    assertEquals(7.5, parameters.get("guidance"));
    assertEquals("dpmpp-2m", parameters.get("sampler"));
    assertEquals(false, parameters.get("resume"));
    assertEquals("[local]", parameters.get("flinkMaster"));
    assertEquals("org.apache.beam.runners.flink.FlinkRunner", parameters.get("runner"));
    assertEquals(List.of("a", "b"), parameters.get("experiments"));
    assertFalse("a rerun must get its own run id", parameters.containsKey("runId"));
    assertFalse(parameters.containsKey("appName"));
    assertFalse("unset options without default stay out", parameters.containsKey("accelerator"));
  }

  @Test
  public void parametersGivenBackAsFlagsReproduceTheOptions() {
    MagicVideoOptions original =
        MagicVideoOptionsTest.parse(
            "--prompts=/p.txt",
            "--output=/out",
            "--sampler=ddim",
            "--guidance=3.25",
            "--negativePrompt=blurry, dark",
            "--resume",
            "--runner=FlinkRunner",
            "--parallelism=3");

    List<String> flags = new ArrayList<>();
    RunParameters.of(original).forEach((name, value) -> flags.add("--" + name + "=" + flag(value)));
    MagicVideoOptions rerun = MagicVideoOptionsTest.parse(flags.toArray(String[]::new));

    assertEquals(RunSettings.generation(original), RunSettings.generation(rerun));
    assertEquals(original.getNegativePrompt(), rerun.getNegativePrompt());
    assertEquals(original.getResume(), rerun.getResume());
    assertEquals(original.getRunner(), rerun.getRunner());
    assertEquals(
        original.as(FlinkPipelineOptions.class).getParallelism(),
        rerun.as(FlinkPipelineOptions.class).getParallelism());
    assertEquals(RunParameters.of(original), RunParameters.of(rerun));
  }

  private static String flag(Object value) {
    return value instanceof List<?> list
        ? String.join(",", list.stream().map(String::valueOf).toList())
        : String.valueOf(value);
  }
}
