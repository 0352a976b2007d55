package magicvideo.transforms.outputs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Random;
import magicvideo.transforms.prompts.PromptIds;

/**
 * Run ids, the prefix of a run's manifest and failure files. A default id sorts by start time and
 * carries a random suffix, so two runs started in the same second into one output folder still
 * write different files.
 */
public final class RunIds {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private RunIds() {}

  /** E.g. {@code 20250301-142501-3fa9c2}: the UTC start time and 24 random bits. */
  public static String generate(Instant start, Random random) {
    return STAMP.format(start) + "-" + HexFormat.of().toHexDigits(random.nextInt() & 0xFFFFFF, 6);
  }

  /** {@code runId} if it is a safe file-name prefix ({@link PromptIds#isSafe}); else throws. */
  public static String checked(String runId) {
    if (!PromptIds.isSafe(runId)) {
      throw new IllegalArgumentException(
          "run id '"
              + runId
              + "' must be 1-128 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit: it prefixes the run's file names");
    }
    return runId;
  }
}
