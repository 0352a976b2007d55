package magicvideo.transforms.outputs;

import java.util.Set;
import magicvideo.transforms.prompts.PromptRequest;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps the requests this run must generate: all of them, or with {@code --resume} those whose id
 * is not complete in an earlier run ({@link ExistingOutputs}). Counts both kinds ({@link
 * VideoMetrics#VIDEOS_PENDING}, {@link VideoMetrics#VIDEOS_SKIPPED}), which gives the progress line
 * its total as soon as the prompts are read.
 *
 * <p>The complete ids travel inside the serialized DoFn, read once before the job starts, rather
 * than as a side input computed by the job: it keeps the graph simple and lets the launcher report
 * what will be skipped before any work. The cost is graph size, about 30 bytes per id; Dataflow
 * accepts job graphs up to about 10 MB, so a resume of a few hundred thousand complete videos fits.
 */
public final class SelectPending
    extends PTransform<PCollection<PromptRequest>, PCollection<PromptRequest>> {
  private final Set<String> completeIds;

  private SelectPending(Set<String> completeIds) {
    this.completeIds = completeIds;
  }

  /** Keeps every request (a run without {@code --resume}). */
  public static SelectPending all() {
    return new SelectPending(Set.of());
  }

  /** Drops the requests whose id is in {@code completeIds}. */
  public static SelectPending skipping(Set<String> completeIds) {
    return new SelectPending(Set.copyOf(completeIds));
  }

  @Override
  public PCollection<PromptRequest> expand(PCollection<PromptRequest> requests) {
    return requests.apply("SkipComplete", ParDo.of(new SkipCompleteFn(completeIds)));
  }

  private static final class SkipCompleteFn extends DoFn<PromptRequest, PromptRequest> {
    private static final Counter PENDING =
        Metrics.counter(VideoMetrics.NAMESPACE, VideoMetrics.VIDEOS_PENDING);
    private static final Counter SKIPPED =
        Metrics.counter(VideoMetrics.NAMESPACE, VideoMetrics.VIDEOS_SKIPPED);

    private final Set<String> completeIds;

    SkipCompleteFn(Set<String> completeIds) {
      this.completeIds = completeIds;
    }

    @ProcessElement
    public void processElement(@Element PromptRequest request, OutputReceiver<PromptRequest> out) {
      if (completeIds.contains(request.getId())) {
        SKIPPED.inc();
      } else {
        PENDING.inc();
        out.output(request);
      }
    }
  }
}
