package magicvideo.transforms.hints;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Beam resource hints for the GPU stages: a runner that honours them (Dataflow) runs those steps on
 * workers with the accelerator, and the CPU steps (reading prompts, encoding, writing) elsewhere.
 * Set per stage, not pipeline-wide ({@code --resourceHints}), for that reason:
 *
 * <pre>{@code
 * ParDo.of(new KeyframesFn(...)).setResourceHints(GpuHints.forAccelerator(accelerator))
 * }</pre>
 *
 * <p>The accelerator is Dataflow's string, e.g. {@code
 * type:nvidia-l4;count:1;install-nvidia-driver}. Runners without accelerator support (Direct,
 * Flink) ignore the hint.
 */
public final class GpuHints {
  private static final String TYPE = "type:";
  private static final String COUNT = "count:";

  private GpuHints() {}

  /** Hints asking for {@code accelerator}; no hints when it is null or blank. */
  public static ResourceHints forAccelerator(@Nullable String accelerator) {
    if (accelerator == null || accelerator.isBlank()) {
      return ResourceHints.create();
    }
    return ResourceHints.create().withAccelerator(accelerator.strip());
  }

  /**
   * What is wrong with an accelerator string, as messages; empty when it is absent or well formed:
   * {@code type:<name>} first, an optional {@code count:<n>} with n >= 1, then flags. Dataflow
   * would reject a malformed one only after staging and starting the job.
   */
  public static List<String> problems(@Nullable String accelerator) {
    List<String> problems = new ArrayList<>();
    if (accelerator == null || accelerator.isBlank()) {
      return problems;
    }
    String[] parts = accelerator.strip().split(";", -1);
    if (!parts[0].startsWith(TYPE) || parts[0].length() == TYPE.length()) {
      problems.add(
          "accelerator '"
              + accelerator
              + "' must start with type:<gpu>, e.g."
              + " type:nvidia-l4;count:1;install-nvidia-driver");
    }
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        problems.add("accelerator '" + accelerator + "' has an empty part between ';'");
      } else if (part.startsWith(COUNT) && !isPositive(part.substring(COUNT.length()))) {
        problems.add(
            "accelerator '"
                + accelerator
                + "': count must be a whole number >= 1, got '"
                + part.substring(COUNT.length())
                + "'");
      }
    }
    return problems;
  }

  private static boolean isPositive(String number) {
    try {
      return Integer.parseInt(number) >= 1;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
