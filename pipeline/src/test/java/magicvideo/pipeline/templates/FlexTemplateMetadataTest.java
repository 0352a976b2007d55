package magicvideo.pipeline.templates;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import magicvideo.pipeline.Choices;
import magicvideo.pipeline.MagicVideoOptions;
import magicvideo.pipeline.OptionChecks;
import magicvideo.pipeline.templates.FlexTemplateMetadata.Parameter;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class FlexTemplateMetadataTest {
  private static final String REGENERATE =
      "mvn -B -o -DskipTests -pl pipeline -am package && java -cp pipeline/target/magicvideo.jar"
          + " magicvideo.pipeline.templates.FlexTemplateMetadata templates/dataflow/metadata.json";

  /**
   * Values for the parameters that have no default: what a user of the template would type. Every
   * other parameter is tried with its default.
   */
  private static final Map<String, String> SAMPLE_VALUES =
      Map.of(
          "prompts", "gs://bucket/prompts/*.jsonl",
          "from", "gs://bucket/runs/keyframes",
          "output", "gs://bucket/runs/r1",
          "model", "gs://bucket/models/tiny",
          "accelerator", "type:nvidia-l4;count:1;install-nvidia-driver",
          "negativePrompt", "blurry, low quality",
          "runId", "r1",
          "config", "gs://bucket/configs/run.yaml",
          "sdkContainerImage", "us-docker.pkg.dev/p/magicvideo/worker:1");

  @Test
  public void committedMetadataIsWhatTheOptionsGenerate() throws IOException {
    String committed = RepoFiles.read(RepoFiles.dataflow().resolve("metadata.json"));

    assertEquals(
        "templates/dataflow/metadata.json differs from what MagicVideoOptions generate;"
            + " regenerate it from the repository root: "
            + REGENERATE,
        FlexTemplateMetadata.json(),
        committed);
  }

  @Test
  public void everyLauncherOptionIsAParameterAndNothingElse() {
    // Beam's own reading of the interface, not the generator's reflection; it names options in
    // snake_case, as portable runners pass them
    Set<String> options =
        PipelineOptionsFactory.describe(Set.of(MagicVideoOptions.class)).stream()
            .filter(option -> option.getGroup().equals(MagicVideoOptions.class.getName()))
            .map(option -> camelCase(option.getName()))
            .collect(Collectors.toSet());
    Set<String> expected = new HashSet<>(options);
    expected.addAll(FlexTemplateMetadata.RUNNER_OPTIONS.keySet());

    assertThat(options, hasItem("prompts"));
    assertEquals(expected, parameters().keySet());
  }

  /**
   * Every parameter, given its default or a sample value, is accepted by its regexes and parsed by
   * Beam into the option of that name (an unknown name or a mistyped value throws), and the
   * launcher's checks find nothing wrong with the values: with both --prompts and --from,
   * OptionChecks stops before the filesystem and its only complaint is that pair.
   */
  @Test
  public void everyParameterIsAnOptionTheLauncherAcceptsWithItsDefaultOrASample() {
    List<String> args = new ArrayList<>();
    for (Parameter parameter : parameters().values()) {
      String value =
          parameter.defaultValue() != null
              ? parameter.defaultValue()
              : SAMPLE_VALUES.get(parameter.name());
      assertTrue(parameter.name() + " needs a sample value in this test", value != null);
      assertTrue(
          parameter.name() + "=" + value + " fails " + parameter.regexes(),
          FlexTemplateMetadata.matchesAll(parameter.regexes(), value));
      if (!parameter.name().equals("config")) { // parsing would read the file; its regex is checked
        args.add("--" + parameter.name() + "=" + value);
      }
    }

    MagicVideoOptions options = parse(args);

    assertEquals(SAMPLE_VALUES.get("model"), options.getModel());
    assertEquals(
        SAMPLE_VALUES.get("sdkContainerImage"),
        options.as(DataflowPipelineOptions.class).getSdkContainerImage());
    List<String> problems = problems(options);
    assertEquals(problems.toString(), 1, problems.size());
    assertThat(problems.get(0), containsString("--prompts and --from exclude each other"));
  }

  /**
   * A choice's regex accepts each name the launcher accepts and refuses a name it refuses. Options
   * given alone miss --prompts and --output, the same complaints each time: a valid choice adds
   * none, an unknown one adds one naming it.
   */
  @Test
  public void choiceRegexesAcceptExactlyTheNamesTheLauncherAccepts() {
    Map<String, Parameter> parameters = parameters();
    List<String> withoutChoices = problems(parse(List.of()));
    for (Map.Entry<String, List<String>> choice : Choices.byOption().entrySet()) {
      String option = choice.getKey();
      List<String> regexes = parameters.get(option).regexes();
      for (String name : choice.getValue()) {
        assertTrue(option + "=" + name, FlexTemplateMetadata.matchesAll(regexes, name));
        assertEquals(withoutChoices, problems(parse(List.of("--" + option + "=" + name))));
      }
      String unknown = "x" + choice.getValue().get(0);
      assertFalse(option + "=" + unknown, FlexTemplateMetadata.matchesAll(regexes, unknown));
      List<String> problems = problems(parse(List.of("--" + option + "=" + unknown)));
      assertEquals(problems.toString(), withoutChoices.size() + 1, problems.size());
      assertThat(problems, hasItem(containsString(unknown)));
    }
  }

  @Test
  public void pathsMustBeOnCloudStorageAndTheLocalDemoModelIsNotOffered() {
    Map<String, Parameter> parameters = parameters();
    Parameter model = parameters.get("model");
    Parameter output = parameters.get("output");

    assertEquals("GCS_READ_FOLDER", model.paramType());
    assertFalse("--model=demo cannot serve Dataflow workers", model.isOptional());
    assertNull(model.defaultValue());
    assertEquals("GCS_WRITE_FOLDER", output.paramType());
    assertFalse("@Validation.Required", output.isOptional());
    assertTrue("prompts or from", parameters.get("prompts").isOptional());
    assertFalse(FlexTemplateMetadata.matchesAll(output.regexes(), "/tmp/out"));
    assertTrue(FlexTemplateMetadata.matchesAll(output.regexes(), "gs://b/out"));
  }

  @Test
  public void parametersOpenWithThePathsInTheirOrder() {
    List<String> names = new ArrayList<>(parameters().keySet());

    assertEquals(List.copyOf(FlexTemplateMetadata.PATHS.keySet()), names.subList(0, 4));
  }

  @Test
  public void labelsAreWordsOfTheName() {
    assertEquals("Videos per prompt", FlexTemplateMetadata.label("videosPerPrompt"));
    assertEquals("Run ID", FlexTemplateMetadata.label("runId"));
    assertEquals("SDK container image", FlexTemplateMetadata.label("sdkContainerImage"));
    assertEquals("FPS", FlexTemplateMetadata.label("fps"));
  }

  @Test
  public void choiceRegexMatchesNamesLiterally() {
    String regex = FlexTemplateMetadata.choiceRegex(List.of("dpm++2m", "a.b"));

    assertEquals("^(dpm\\+\\+2m|a\\.b)$", regex);
    assertTrue(FlexTemplateMetadata.matchesAll(List.of(regex), "dpm++2m"));
    assertFalse(FlexTemplateMetadata.matchesAll(List.of(regex), "dpmm2m"));
    assertFalse(FlexTemplateMetadata.matchesAll(List.of(regex), "axb"));
  }

  @Test
  public void mainNeedsTheOutputFile() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> FlexTemplateMetadata.main(new String[0]))
            .getMessage(),
        containsString("usage: FlexTemplateMetadata OUTPUT_FILE"));
  }

  private static Map<String, Parameter> parameters() {
    List<Parameter> list = FlexTemplateMetadata.metadata().parameters();
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter parameter : list) {
      byName.put(parameter.name(), parameter);
    }
    assertEquals("parameter names are unique", list.size(), byName.size());
    return byName;
  }

  /** {@code videos_per_prompt} -> {@code videosPerPrompt}. */
  private static String camelCase(String snakeCase) {
    StringBuilder name = new StringBuilder();
    for (String word : snakeCase.split("_")) {
      name.append(name.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
    }
    return name.toString();
  }

  private static MagicVideoOptions parse(List<String> args) {
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(MagicVideoOptions.class);
  }

  /** The launcher's complaints about the option values (none when the options are valid). */
  private static List<String> problems(MagicVideoOptions options) {
    try {
      OptionChecks.check(options);
      return List.of();
    } catch (OptionChecks.InvalidOptionsException e) {
      return e.problems();
    }
  }
}
