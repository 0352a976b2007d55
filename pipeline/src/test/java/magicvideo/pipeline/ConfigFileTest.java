package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import magicvideo.pipeline.ConfigFile.Entry;
import magicvideo.pipeline.OptionChecks.InvalidOptionsException;
import magicvideo.transforms.outputs.ModelRef;
import magicvideo.transforms.outputs.RunRecord;
import org.junit.Test;

public class ConfigFileTest {
  private static final String YAML =
      "# a comment\n"
          + "steps: 12\n"
          + "guidance: 1.10\n"
          + "resume: true\n"
          + "negativePrompt: \"blurry, dark\"\n"
          + "experiments: [a, b]\n"
          + "labels:\n"
          + "  team: video\n"
          + "filesToStage: []\n";

  private static final String JSON =
      "{\n"
          + "  \"steps\": 12,\n"
          + "  \"guidance\": 1.10,\n"
          + "  \"resume\": true,\n"
          + "  \"negativePrompt\": \"blurry, dark\",\n"
          + "  \"experiments\": [\"a\", \"b\"],\n"
          + "  \"labels\": {\"team\": \"video\"},\n"
          + "  \"filesToStage\": []\n"
          + "}\n";

  /** The flags both files stand for, in file order. */
  private static final List<String> FLAGS =
      List.of(
          "--steps=12",
          "--guidance=1.10",
          "--resume=true",
          "--negativePrompt=blurry, dark",
          "--experiments=a",
          "--experiments=b",
          "--labels={\"team\":\"video\"}",
          "--filesToStage=");

  private static List<String> flags(ConfigFile file) {
    return file.entries().stream().flatMap(entry -> entry.flags().stream()).toList();
  }

  private static InvalidOptionsException invalid(String path, String text) {
    return assertThrows(InvalidOptionsException.class, () -> ConfigFile.parse(path, text));
  }

  @Test
  public void yamlAndJsonGiveTheSameFlagsWithValuesAsWritten() {
    ConfigFile yaml = ConfigFile.parse("c.yaml", YAML);
    ConfigFile json = ConfigFile.parse("c.JSON", JSON);

    assertEquals(FLAGS, flags(yaml));
    assertEquals(FLAGS, flags(json));
    assertEquals(List.of(2, 3, 4, 5, 6, 7, 9), yaml.entries().stream().map(Entry::line).toList());
    assertEquals("c.yaml, line 3", yaml.where(yaml.entries().get(1)));
  }

  @Test
  public void anEmptyValueIsKeptAsNoValue() {
    Entry entry = ConfigFile.parse("c.yml", "accelerator:\n").entries().get(0);

    assertEquals("accelerator", entry.name());
    assertNull(entry.values());
  }

  @Test
  public void aRunRecordGivesItsParametersAndNothingElse() {
    Map<String, Object> parameters = new TreeMap<>();
    parameters.put("prompts", "/data/prompts.txt");
    parameters.put("steps", 25);
    parameters.put("guidance", 7.5);
    parameters.put("experiments", List.of("a", "b"));
    RunRecord record =
        new RunRecord(
            "20250301-142501-3fa9c2",
            "DONE",
            Instant.parse("2025-03-01T14:25:01Z"),
            Instant.parse("2025-03-01T14:26:31Z"),
            parameters,
            new ModelRef("magicvideo-tiny-random", "1", "ab".repeat(32)),
            Map.of("beam", "2.70.0"),
            Map.of("magicvideo/videos_done", 4L));

    ConfigFile file = ConfigFile.parse("out/run.json", record.toJson());

    assertEquals(
        List.of(
            "--experiments=a",
            "--experiments=b",
            "--guidance=7.5",
            "--prompts=/data/prompts.txt",
            "--steps=25"),
        flags(file));
  }

  @Test
  public void malformedFilesAreNamedWithTheirLine() {
    assertThat(
        invalid("conf/run.yaml", "steps: 3\nexperiments: [a, b\nguidance: 2\n").getMessage(),
        containsString("conf/run.yaml, line 3: not valid YAML"));
    assertThat(
        invalid("conf/run.json", "{\"steps\": 3,\n \"guidance\": }\n").getMessage(),
        containsString("conf/run.json, line 2: not valid JSON: Unexpected character ('}'"));
  }

  @Test
  public void aRepeatedOptionIsRefusedWithBothLines() {
    assertThat(
        invalid("c.yaml", "steps: 3\nfps: 8\nsteps: 4\n").getMessage(),
        containsString("c.yaml, line 3: 'steps' is given twice, here and on line 1"));
  }

  @Test
  public void onlyAMappingIsAConfig() {
    assertThat(
        invalid("c.yaml", "- steps: 3\n").getMessage(),
        containsString("c.yaml, line 1: expected a mapping of option name to value"));
    assertThat(
        invalid("c.txt", "steps: 3\n").getMessage(),
        containsString("--config=c.txt: name the file .yaml, .yml or .json"));
  }
}
