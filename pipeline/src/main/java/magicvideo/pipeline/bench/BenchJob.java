package magicvideo.pipeline.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import magicvideo.pipeline.MagicVideoOptions;
import magicvideo.pipeline.MagicVideoPipeline;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import magicvideo.transforms.outputs.VideoMetrics;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * One run of the MagicVideo job for a benchmark, through {@link MagicVideoPipeline#run} as the
 * launcher runs it: timed from the options check to the gallery, checked to have written every
 * video (a benchmark of a job that dropped videos would flatter it), its outputs then deleted.
 */
final class BenchJob {
  private static final String VIDEOS_DONE = VideoMetrics.NAMESPACE + "/" + VideoMetrics.VIDEOS_DONE;

  /**
   * @param time the whole run, model loading and runner start-up included
   * @param modelLoadSeconds the part spent loading networks: per GPU stage the longest set-up of
   *     its DoFn instances (they share one load, so the others wait for it), summed over stages;
   *     NaN when the runner reports no set-up metrics (Flink drops those updated outside a bundle)
   * @param meanBatch videos per forward pass, as the GPU stages saw them
   */
  record Result(int videos, Span time, double modelLoadSeconds, double meanBatch) {}

  private BenchJob() {}

  /** The job's options from {@code flags} (which must name --prompts and --output). */
  static MagicVideoOptions options(Flags flags) {
    PipelineOptionsFactory.register(MagicVideoOptions.class);
    return PipelineOptionsFactory.fromArgs(flags.toArgs()).withValidation().as(MagicVideoOptions.class);
  }

  /**
   * Runs the job on {@code prompts} (one video per line, {@code videos} lines) into a fresh folder
   * {@code out}, which is deleted afterwards. Throws when the job ends in any state but DONE or
   * writes fewer videos.
   */
  static Result run(Flags flags, Path prompts, int videos, Path out) throws IOException {
    MagicVideoOptions options = options(flags.with("prompts", prompts).with("output", out));
    try {
      Span.Clock clock = Span.start();
      PipelineResult result = MagicVideoPipeline.run(options, new PrintStream(OutputStream.nullOutputStream()));
      Span time = clock.stop();
      RunRecord record = RunRecord.readFrom(OutputLayout.at(out.toString()));
      long done = record.counts().getOrDefault(VIDEOS_DONE, 0L);
      if (result.getState() != PipelineResult.State.DONE || done != videos) {
        throw new IllegalStateException("benchmark job " + flags + " ended " + result.getState() + " with " + done
            + " of " + videos + " videos written; counters: " + record.counts());
      }
      long loadMillis = 0;
      long loads = 0;
      for (DistributionResult load : distributions(result, "model_load_ms")) {
        loadMillis += load.getMax();
        loads += load.getCount();
      }
      long batches = 0;
      long batched = 0;
      for (DistributionResult batch : distributions(result, "batch_size")) {
        batches += batch.getCount();
        batched += batch.getSum();
      }
      return new Result(videos, time, loads == 0 ? Double.NaN : loadMillis / 1000.0,
          batches == 0 ? Double.NaN : (double) batched / batches);
    } finally {
      deleteTree(out);
    }
  }

  /** The attempted values of distribution {@code name}, one per step that updates it. */
  private static List<DistributionResult> distributions(PipelineResult result, String name) {
    MetricsFilter filter = MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(VideoMetrics.NAMESPACE, name)).build();
    List<DistributionResult> values = new ArrayList<>();
    for (MetricResult<DistributionResult> d : result.metrics().queryMetrics(filter).getDistributions()) {
      values.add(d.getAttempted());
    }
    return values;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
