package magicvideo.transforms.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import magicvideo.models.generate.DeviceGuard;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.Stage;
import magicvideo.models.generate.VideoGenerator;
import magicvideo.transforms.outputs.VideoMetrics;
import magicvideo.transforms.prompts.PromptFailure;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The shared shape of the GPU stages: the stage's network is loaded once per JVM
 * ({@link SharedGenerators}), a batch runs as one forward pass per group of equal settings, and a
 * failure is confined to the video that caused it: when a batch throws, its videos are retried
 * one by one and only those that fail alone go to the failures output. NaN/infinite latents fail
 * their video too. Metrics: {@code <stage>_ms} per batch, {@code batch_size}, {@code model_load_ms}.
 */
abstract class GpuStageFn<InputT> extends DoFn<InputT, VideoBatch> {
  static final TupleTag<VideoBatch> DONE = new TupleTag<>() {};
  static final TupleTag<PromptFailure> FAILED = new TupleTag<>() {};

  private final StageConfig config;
  private final Stage stage;
  private final Distribution latency;
  private final Distribution batchSize;
  private final Distribution modelLoad;
  private transient VideoGenerator generator;

  GpuStageFn(StageConfig config, Stage stage) {
    this.config = config;
    this.stage = stage;
    this.latency = Metrics.distribution(VideoMetrics.NAMESPACE, stage.configName() + "_ms");
    this.batchSize = Metrics.distribution(VideoMetrics.NAMESPACE, "batch_size");
    this.modelLoad = Metrics.distribution(VideoMetrics.NAMESPACE, "model_load_ms");
  }

  /** Runs the stage on videos that share {@code settings}; one output per input, in order. */
  abstract List<VideoWork> apply(VideoGenerator g, List<VideoWork> videos, GenerationSettings settings);

  @Setup
  public void setup() throws IOException {
    long t0 = System.nanoTime();
    DeviceGuard.setPermits(config.forwardPassesPerDevice());
    generator = SharedGenerators.acquire(config.model(), stage);
    modelLoad.update((System.nanoTime() - t0) / 1_000_000);
  }

  @Teardown
  public void teardown() {
    if (generator != null) {
      SharedGenerators.release(config.model(), stage);
      generator = null;
    }
  }

  StageConfig config() {
    return config;
  }

  VideoGenerator generator() {
    return generator;
  }

  void run(int shard, List<VideoWork> videos, MultiOutputReceiver out) {
    batchSize.update(videos.size());
    Map<GenerationSettings, List<VideoWork>> groups = new LinkedHashMap<>();
    for (VideoWork w : videos) {
      groups.computeIfAbsent(config.effective(w.request()), s -> new ArrayList<>()).add(w);
    }
    List<VideoWork> done = new ArrayList<>();
    groups.forEach((settings, group) -> done.addAll(runGroup(group, settings, out)));
    if (!done.isEmpty()) {
      out.get(DONE).output(new VideoBatch(shard, done));
    }
  }

  private List<VideoWork> runGroup(List<VideoWork> group, GenerationSettings settings, MultiOutputReceiver out) {
    List<VideoWork> results;
    try {
      results = timed(group, settings);
    } catch (RuntimeException batchError) {
      if (group.size() == 1) {
        out.get(FAILED).output(StageFailures.of(group.get(0).request(), stage.configName(),
            StageFailures.STAGE_ERROR, StageFailures.describe(batchError)));
        return List.of();
      }
      results = new ArrayList<>();
      for (VideoWork w : group) {
        results.addAll(runGroup(List.of(w), settings, out));
      }
      return results;
    }
    List<VideoWork> ok = new ArrayList<>();
    for (VideoWork w : results) {
      if (w.latents() != null && !w.latents().isFinite()) {
        out.get(FAILED).output(StageFailures.of(w.request(), stage.configName(), StageFailures.NON_FINITE,
            stage.configName() + " produced NaN or infinite latents"));
      } else {
        ok.add(w);
      }
    }
    return ok;
  }

  private List<VideoWork> timed(List<VideoWork> group, GenerationSettings settings) {
    long t0 = System.nanoTime();
    List<VideoWork> results = apply(generator, group, settings);
    long nanos = System.nanoTime() - t0;
    latency.update(nanos / 1_000_000);
    // each video is charged its share of the batch
    double seconds = nanos / 1e9 / group.size();
    List<VideoWork> timedResults = new ArrayList<>(results.size());
    for (VideoWork w : results) {
      timedResults.add(w.timed(stage.configName(), seconds));
    }
    return timedResults;
  }
}
