package magicvideo.transforms.prompts;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Beam counters of {@link ReadPrompts}, in namespace {@value #NAMESPACE}. They balance: {@code
 * rows_read = rows_accepted + sum of failed_<kind>}, where a row is a non-empty line that is not a
 * header (a whole-file failure counts as one row).
 */
public final class PromptMetrics {
  public static final String NAMESPACE = "prompts";
  public static final String ROWS_READ = "rows_read";
  public static final String ROWS_ACCEPTED = "rows_accepted";

  /** Prefix of the per-kind counters, e.g. {@code failed_malformed_json}. */
  public static final String FAILED_PREFIX = "failed_";

  static final Counter rowsRead = Metrics.counter(NAMESPACE, ROWS_READ);
  static final Counter rowsAccepted = Metrics.counter(NAMESPACE, ROWS_ACCEPTED);

  private PromptMetrics() {}

  static void countFailure(PromptFailure failure) {
    Metrics.counter(NAMESPACE, FAILED_PREFIX + failure.getKind()).inc();
  }
}
