package magicvideo.transforms.stages;

import magicvideo.transforms.outputs.VideoMetrics;
import magicvideo.transforms.prompts.PromptFailure;
import magicvideo.transforms.prompts.PromptRequest;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Failure records and counters for videos that fail after their prompt was accepted. They share
 * the prompt failures' JSON shape, with the stage that failed and a machine-readable kind.
 */
public final class StageFailures {
  /** The network made NaN or infinite latents (diverged sampling, fp16 overflow). */
  public static final String NON_FINITE = "non_finite_latents";
  /** The stage threw for this video alone. */
  public static final String STAGE_ERROR = "stage_error";
  /** Writing the video, preview or tensors failed. */
  public static final String WRITE_ERROR = "write_error";
  /** An earlier run's tensors file could not be read back ({@code --from}). */
  public static final String LOAD_ERROR = "load_error";

  private StageFailures() {}

  static PromptFailure of(PromptRequest r, String stage, String kind, String reason) {
    Metrics.counter(VideoMetrics.NAMESPACE, VideoMetrics.VIDEOS_FAILED).inc();
    Metrics.counter(VideoMetrics.NAMESPACE, "failed_" + kind).inc();
    return PromptFailure.builder()
        .setSource(r.getSource())
        .setLine(r.getLine())
        .setId(r.getId())
        .setStage(stage)
        .setKind(kind)
        .setReason(reason)
        .setRawRow(r.getPrompt())
        .build();
  }

  static Counter done() {
    return Metrics.counter(VideoMetrics.NAMESPACE, VideoMetrics.VIDEOS_DONE);
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
