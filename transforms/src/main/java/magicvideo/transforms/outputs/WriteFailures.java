package magicvideo.transforms.outputs;

import static java.util.Objects.requireNonNull;

import magicvideo.transforms.prompts.PromptFailure;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes the run's failures, {@code OUT/failures/<runId>-*.jsonl}, one {@link
 * PromptFailure#toJsonLine()} per rejected row or failed video. One record shape serves both: a
 * stage that fails a video sets {@code stage} to its name (e.g. {@code keyframes}), {@code kind} to
 * a short machine name (e.g. {@code nan_latents}), {@code source}/{@code line}/{@code id} from the
 * request, and no raw row.
 */
public final class WriteFailures extends PTransform<PCollection<PromptFailure>, PDone> {
  private final OutputLayout layout;
  private final String runId;

  private WriteFailures(OutputLayout layout, String runId) {
    this.layout = layout;
    this.runId = runId;
  }

  public static WriteFailures to(OutputLayout layout, String runId) {
    return new WriteFailures(requireNonNull(layout, "layout"), RunIds.checked(runId));
  }

  @Override
  public PDone expand(PCollection<PromptFailure> failures) {
    return failures.apply(
        "WriteJsonLines",
        new WriteJsonLines<>(layout.failuresPrefix(runId), PromptFailure::toJsonLine));
  }
}
