package magicvideo.pipeline.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import magicvideo.pipeline.Choices;
import magicvideo.pipeline.MagicVideoOptions;
import org.apache.beam.runners.dataflow.options.DataflowPipelineWorkerPoolOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * The Dataflow Flex Template's metadata ({@code templates/dataflow/metadata.json}), derived from
 * {@link MagicVideoOptions} so that the options interface stays the one source of truth: each
 * property's {@code @Description} is its help text, its {@code @Default} the default value, its
 * {@code @Validation.Required} makes it required. Only what the interface cannot say is written
 * here: which parameters are Cloud Storage paths and of what kind ({@link #PATHS}), and the one
 * runner option the template offers beside them, the worker image. Choices ({@code --sampler},
 * {@code --format}, ...) become regexes from {@link Choices#byOption()}, the names the launcher
 * accepts.
 *
 * <p>Regenerate after changing the options (a test fails until the file matches):
 *
 * <pre>
 * java -cp pipeline/target/magicvideo.jar magicvideo.pipeline.templates.FlexTemplateMetadata \
 *     templates/dataflow/metadata.json
 * </pre>
 */
public final class FlexTemplateMetadata {
  private static final String NAME = "MagicVideo text-to-video";

  private static final String DESCRIPTION =
      "Turns prompt files into a text-to-video dataset with MagicVideo latent diffusion: keyframes,"
          + " latent interpolation, VideoVAE decoding and super-resolution on GPU workers, then"
          + " videos, a manifest, failures and run.json in the output folder. Give accelerator"
          + " (e.g. type:nvidia-l4;count:1;install-nvidia-driver) and sdkContainerImage (the"
          + " image of templates/dataflow/worker.Dockerfile) for GPU workers.";

  /** Dataflow's value for a parameter that is not a Cloud Storage path. */
  private static final String TEXT = "TEXT";

  /**
   * The options that are paths, in the order a form shows them first, with Dataflow's kind of path:
   * the console then offers a bucket browser. Dataflow's workers read and write only gs:// paths.
   */
  static final Map<String, String> PATHS;

  static {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("prompts", "GCS_READ_FILE");
    paths.put("from", "GCS_READ_FOLDER");
    paths.put("output", "GCS_WRITE_FOLDER");
    paths.put("model", "GCS_READ_FOLDER");
    PATHS = Collections.unmodifiableMap(paths);
  }

  /**
   * Runner options the template offers beside {@link MagicVideoOptions}: the worker image that
   * carries libtorch with CUDA (templates/dataflow/worker.Dockerfile); without it Dataflow's
   * default Java image runs the GPU stages on CPU.
   */
  static final Map<String, Class<?>> RUNNER_OPTIONS =
      Map.of("sdkContainerImage", DataflowPipelineWorkerPoolOptions.class);

  private static final String GCS_PATH_REGEX = "^gs:\\/\\/[^\\n\\r]+$";
  private static final String WHOLE_NUMBER_REGEX = "^[0-9]+$";
  private static final String DECIMAL_REGEX = "^[0-9]+(\\.[0-9]+)?$";
  private static final String BOOLEAN_REGEX = "^(true|false)$";

  /** Words of option names that a label writes in capitals. */
  private static final Set<String> ACRONYMS = Set.of("fps", "id", "sdk");

  /** Characters with a meaning in a regex, escaped where a choice's name holds them. */
  private static final String REGEX_SPECIAL = "\\^$.|?*+()[]{}";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private FlexTemplateMetadata() {}

  /** One entry of {@code parameters}, with the field names of Dataflow's ParameterMetadata. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Parameter(
      String name,
      String label,
      String helpText,
      boolean isOptional,
      List<String> regexes,
      String paramType,
      String defaultValue) {}

  /** The whole file's content: name, description, parameters. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Metadata(String name, String description, List<Parameter> parameters) {}

  /** Writes the metadata to the path given as the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException(
          "usage: FlexTemplateMetadata OUTPUT_FILE   (e.g. templates/dataflow/metadata.json)");
    }
    Path file = Path.of(args[0]);
    Files.writeString(file, json(), StandardCharsets.UTF_8);
    System.out.println("Wrote " + metadata().parameters().size() + " parameters to " + file);
  }

  /** The metadata as the file holds it: indented JSON ending in a newline. */
  public static String json() {
    try {
      return JSON.writeValueAsString(metadata()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the metadata records always serialise", e);
    }
  }

  /**
   * The template's parameters: the path options of {@link #PATHS} first, then every other {@link
   * MagicVideoOptions} property by name, then {@link #RUNNER_OPTIONS}.
   */
  public static Metadata metadata() {
    List<Method> getters = new ArrayList<>();
    for (Method method : MagicVideoOptions.class.getDeclaredMethods()) {
      if (isGetter(method)) {
        getters.add(method);
      }
    }
    List<String> pathOrder = new ArrayList<>(PATHS.keySet());
    getters.sort(
        Comparator.comparing(
                (Method getter) -> {
                  int index = pathOrder.indexOf(propertyName(getter));
                  return index < 0 ? pathOrder.size() : index;
                })
            .thenComparing(FlexTemplateMetadata::propertyName));
    List<Parameter> parameters = new ArrayList<>();
    for (Method getter : getters) {
      parameters.add(parameter(getter));
    }
    RUNNER_OPTIONS.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(option -> parameters.add(parameter(getter(option.getValue(), option.getKey()))));
    return new Metadata(NAME, DESCRIPTION, parameters);
  }

  private static Parameter parameter(Method getter) {
    String name = propertyName(getter);
    Description description = getter.getAnnotation(Description.class);
    if (description == null) {
      throw new IllegalStateException(
          "option " + name + " of " + getter.getDeclaringClass().getName()
              + " has no @Description: the template's help text comes from it");
    }
    List<String> regexes = regexes(name, getter.getReturnType());
    String defaultValue = defaultValue(getter);
    // A default the template's own regexes refuse cannot serve on Dataflow (--model=demo names a
    // folder on the launcher's disk): it is not offered, and the parameter becomes required.
    boolean usableDefault = defaultValue != null && matchesAll(regexes, defaultValue);
    boolean required =
        getter.isAnnotationPresent(Validation.Required.class)
            || (defaultValue != null && !usableDefault);
    return new Parameter(
        name,
        label(name),
        description.value(),
        !required,
        regexes,
        PATHS.getOrDefault(name, TEXT),
        usableDefault ? defaultValue : null);
  }

  static boolean matchesAll(List<String> regexes, String value) {
    for (String regex : regexes) {
      if (!Pattern.compile(regex).matcher(value).matches()) {
        return false;
      }
    }
    return true;
  }

  /** A regex per kind of value: gs:// for paths, the names of a choice, the form of a number. */
  private static List<String> regexes(String name, Class<?> type) {
    if (PATHS.containsKey(name)) {
      return List.of(GCS_PATH_REGEX);
    }
    List<String> choices = Choices.byOption().get(name);
    if (choices != null) {
      return List.of(choiceRegex(choices));
    }
    if (type == int.class || type == long.class) {
      return List.of(WHOLE_NUMBER_REGEX);
    }
    if (type == double.class) {
      return List.of(DECIMAL_REGEX);
    }
    if (type == boolean.class) {
      return List.of(BOOLEAN_REGEX);
    }
    return List.of();
  }

  /** {@code ^(ddim|dpmpp-2m)$}, each name matched literally. */
  static String choiceRegex(List<String> names) {
    StringBuilder regex = new StringBuilder("^(");
    for (String name : names) {
      if (regex.length() > 2) {
        regex.append('|');
      }
      for (char c : name.toCharArray()) {
        if (REGEX_SPECIAL.indexOf(c) >= 0) {
          regex.append('\\');
        }
        regex.append(c);
      }
    }
    return regex.append(")$").toString();
  }

  /** The {@code @Default} value as text; null without one or when it is computed per launch. */
  private static String defaultValue(Method getter) {
    if (getter.isAnnotationPresent(Default.String.class)) {
      return getter.getAnnotation(Default.String.class).value();
    }
    if (getter.isAnnotationPresent(Default.Integer.class)) {
      return String.valueOf(getter.getAnnotation(Default.Integer.class).value());
    }
    if (getter.isAnnotationPresent(Default.Long.class)) {
      return String.valueOf(getter.getAnnotation(Default.Long.class).value());
    }
    if (getter.isAnnotationPresent(Default.Double.class)) {
      return String.valueOf(getter.getAnnotation(Default.Double.class).value());
    }
    if (getter.isAnnotationPresent(Default.Boolean.class)) {
      return String.valueOf(getter.getAnnotation(Default.Boolean.class).value());
    }
    return null;
  }

  /** {@code videosPerPrompt} -> {@code Videos per prompt}; {@code runId} -> {@code Run ID}. */
  static String label(String name) {
    List<String> words = new ArrayList<>();
    for (String word : name.split("(?<=[a-z0-9])(?=[A-Z])")) {
      String lower = word.toLowerCase(Locale.ROOT);
      words.add(ACRONYMS.contains(lower) ? lower.toUpperCase(Locale.ROOT) : lower);
    }
    String label = String.join(" ", words);
    return Character.toUpperCase(label.charAt(0)) + label.substring(1);
  }

  private static boolean isGetter(Method method) {
    return method.getParameterCount() == 0
        && method.getName().startsWith("get")
        && method.getName().length() > 3
        && !method.isDefault()
        && !Modifier.isStatic(method.getModifiers());
  }

  private static String propertyName(Method getter) {
    String name = getter.getName().substring(3);
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static Method getter(Class<?> options, String property) {
    String name = "get" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
    try {
      return options.getMethod(name);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(options.getName() + " has no option " + property, e);
    }
  }
}
