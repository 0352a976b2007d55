package magicvideo.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import magicvideo.models.generate.Stage;
import magicvideo.models.sampling.SamplerKind;
import magicvideo.transforms.video.PreviewFormat;
import magicvideo.transforms.video.VideoFormat;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The named choices of the options ({@code --sampler}, {@code --format}, {@code --preview}, {@code
 * --until}) and what they select. Names come from the enums themselves, so a new format or stage is
 * accepted, listed in error messages and offered by the Dataflow template without another edit
 * here.
 */
public final class Choices {
  /** The {@code --until} value that runs every stage and writes videos. */
  static final String FULL_RUN = "encode";

  /** The {@code --preview} value that writes no preview. */
  static final String NO_PREVIEW = "none";

  private Choices() {}

  public static VideoFormat videoFormat(String name) {
    String key = normalise(name);
    for (VideoFormat format : VideoFormat.values()) {
      if (format.extension().equals(key)) {
        return format;
      }
    }
    throw unknown("format", name, videoFormats());
  }

  /** The preview format, or null for {@value #NO_PREVIEW}. */
  public static @Nullable PreviewFormat previewFormat(String name) {
    String key = normalise(name);
    for (PreviewFormat format : PreviewFormat.values()) {
      if (format.extension().equals(key)) {
        return format;
      }
    }
    if (key.equals(NO_PREVIEW)) {
      return null;
    }
    throw unknown("preview", name, previewFormats());
  }

  /** The last stage to run, or null for {@value #FULL_RUN} (every stage, then encoding). */
  static @Nullable Stage untilStage(String name) {
    String key = normalise(name);
    for (Stage stage : Stage.values()) {
      if (stage.configName().equals(key)) {
        return stage;
      }
    }
    if (key.equals(FULL_RUN)) {
      return null;
    }
    throw unknown("until", name, untilStages());
  }

  /**
   * Option name to the names it accepts, canonical spellings only (the sampler also takes aliases
   * such as {@code dpm++2m}): what a form offering the choices, such as the Flex Template's, lists.
   */
  public static Map<String, List<String>> byOption() {
    Map<String, List<String>> choices = new LinkedHashMap<>();
    choices.put("sampler", samplers());
    choices.put("format", videoFormats());
    choices.put("preview", previewFormats());
    choices.put("until", untilStages());
    return choices;
  }

  private static List<String> samplers() {
    List<String> names = new ArrayList<>();
    for (SamplerKind sampler : SamplerKind.values()) {
      names.add(sampler.configName());
    }
    return names;
  }

  private static List<String> videoFormats() {
    List<String> names = new ArrayList<>();
    for (VideoFormat format : VideoFormat.values()) {
      names.add(format.extension());
    }
    return names;
  }

  private static List<String> previewFormats() {
    List<String> names = new ArrayList<>();
    for (PreviewFormat format : PreviewFormat.values()) {
      names.add(format.extension());
    }
    names.add(NO_PREVIEW);
    return names;
  }

  private static List<String> untilStages() {
    List<String> names = new ArrayList<>();
    for (Stage stage : Stage.values()) {
      names.add(stage.configName());
    }
    names.add(FULL_RUN);
    return names;
  }

  private static String normalise(String name) {
    return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
  }

  private static IllegalArgumentException unknown(String option, String value, List<String> valid) {
    return new IllegalArgumentException(
        "--" + option + "=" + value + " is unknown; valid: " + String.join(", ", valid));
  }
}
