package magicvideo.pipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import magicvideo.models.generate.RandomModels;
import magicvideo.pipeline.Choices;
import magicvideo.pipeline.MagicVideoOptions;
import magicvideo.pipeline.MagicVideoPipeline;
import magicvideo.pipeline.RunSettings;

/**
 * Throughput of the MagicVideo job on the tiny random model against the plain generator loop in
 * one process ({@link GeneratorLoop}), on the same prompts and settings: the DirectRunner at batch
 * sizes 1, 2 and 4, and the FlinkRunner's embedded cluster at parallelism 1 and 2. Prints a
 * markdown table with wall and CPU seconds, and the pipeline's overhead ratio (loop rate /
 * DirectRunner rate at batch 1).
 *
 * <p>Run with {@code bin/bench pipeline [--videos=N] [job flags]}; job flags (e.g. {@code
 * --steps=10}) override the defaults below for every case and reach the loop through {@link
 * RunSettings}. Each runner first runs a small untimed job, so JIT compilation, PyTorch's and
 * FFmpeg's native libraries and Flink's classes are loaded before anything is timed. The model is
 * loaded once by the loop (reported beside its rate, not in it) and once per job by the pipeline
 * (in its rate, as users pay it; reported too).
 */
public final class PipelineBenchmark {
  /**
   * Few steps and 4 keyframes (13 frames of 128x128 after super-resolution, ~1.5 s a video on 2
   * cores): the networks' work is as small as it gets, so the pipeline's own per-video work
   * (coders, bundles, shuffles, manifest) weighs as much as it ever will in the overhead ratio.
   */
  private static final Flags DEFAULTS =
      Flags.of("--steps=2", "--interpolationSteps=1", "--upscaleSteps=1", "--keyframes=4");

  private static final int DEFAULT_VIDEOS = 24;
  private static final int WARMUP_VIDEOS = 4;

  private PipelineBenchmark() {}

  public static void main(String[] args) throws IOException {
    Flags flags = DEFAULTS.overriddenBy(Flags.of(args));
    int videos = flags.intValue("videos", DEFAULT_VIDEOS);
    if (videos < 1) {
      throw new IllegalArgumentException("--videos must be >= 1, got " + videos);
    }
    Path work = Files.createTempDirectory("magicvideo-pipeline-bench");
    try {
      Path model = RandomModels.writeTiny(work.resolve("model"), 0).root();
      Flags job = flags.without("videos").with("model", model);
      new PipelineBenchmark().run(job, videos, work);
    } finally {
      BenchJob.deleteTree(work);
    }
  }

  private final List<String> rows = new ArrayList<>();

  private void run(Flags job, int videos, Path work) throws IOException {
    Path warmup = BenchPrompts.write(work, WARMUP_VIDEOS);
    Path prompts = BenchPrompts.write(work, videos);
    System.out.printf(Locale.ROOT, "%s, %d videos per case, %d cores, max heap %d MB; job flags: %s%n",
        RandomModels.TINY_NAME, videos, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, job.without("model"));

    Flags direct = job.with("runner", "DirectRunner");
    BenchJob.run(direct, warmup, WARMUP_VIDEOS, work.resolve("out"));

    GeneratorLoop.Timing loop = loop(job.with("batchSize", 1), prompts, work);
    Span baseline = loop.loop();
    row("generator loop, frames only", videos, 1, loop.generate(), Double.NaN, baseline);
    row("generator loop + encode + write", videos, 1, baseline, Double.NaN, baseline);

    BenchJob.Result batch1 = job(direct.with("batchSize", 1), "DirectRunner, batch 1", prompts, videos, work, baseline);
    job(direct.with("batchSize", 2), "DirectRunner, batch 2", prompts, videos, work, baseline);
    job(direct.with("batchSize", 4), "DirectRunner, batch 4", prompts, videos, work, baseline);

    Flags flink = job.with("runner", "FlinkRunner").with("flinkMaster", "[local]").with("batchSize", 1);
    BenchJob.run(flink.with("parallelism", 1), warmup, WARMUP_VIDEOS, work.resolve("out"));
    job(flink.with("parallelism", 1), "FlinkRunner [local], parallelism 1", prompts, videos, work, baseline);
    job(flink.with("parallelism", 2), "FlinkRunner [local], parallelism 2", prompts, videos, work, baseline);

    System.out.println();
    System.out.println("| case | videos | batch (mean) | wall s | CPU s | videos/min | model load s | wall / loop"
        + " | CPU / loop |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.printf(Locale.ROOT, "The loop loaded the model once in %.2f s (not in its rate); each job loads it"
        + " again inside its time (column 'model load s').%n", loop.load().wallSeconds());
    Span pipeline = batch1.time();
    System.out.printf(Locale.ROOT, "Pipeline overhead (loop rate / pipeline rate), DirectRunner batch 1 vs the loop"
            + " with encoding: %.2fx in wall time, %.2fx in CPU time%n",
        pipeline.wallSeconds() / baseline.wallSeconds(), pipeline.cpuSeconds() / baseline.cpuSeconds());
  }

  /** The loop on {@code prompts} with the job's settings, output format and batch size. */
  private static GeneratorLoop.Timing loop(Flags job, Path prompts, Path work) throws IOException {
    Path out = Files.createDirectories(work.resolve("loop"));
    try {
      MagicVideoOptions options = BenchJob.options(job.with("prompts", prompts).with("output", out));
      GeneratorLoop loop = new GeneratorLoop(Choices.videoFormat(options.getFormat()),
          Choices.previewFormat(options.getPreview()), MagicVideoPipeline.PREVIEW_MAX_SIDE);
      return loop.run(Path.of(options.getModel()), Files.readAllLines(prompts), RunSettings.generation(options),
          options.getBatchSize(), out);
    } finally {
      BenchJob.deleteTree(out);
    }
  }

  private BenchJob.Result job(Flags flags, String name, Path prompts, int videos, Path work, Span baseline)
      throws IOException {
    BenchJob.Result r = BenchJob.run(flags, prompts, videos, work.resolve("out"));
    row(name, videos, r.meanBatch(), r.time(), r.modelLoadSeconds(), baseline);
    return r;
  }

  private void row(String name, int videos, double batch, Span time, double loadSeconds, Span baseline) {
    String row = String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %.1f | %.1f | %s | %.2f | %.2f |",
        name, videos, orNa(batch, "%.1f"), time.wallSeconds(), time.cpuSeconds(), videos * 60 / time.wallSeconds(),
        orNa(loadSeconds, "%.2f"), time.wallSeconds() / baseline.wallSeconds(),
        time.cpuSeconds() / baseline.cpuSeconds());
    rows.add(row);
    System.out.println(row); // as each case ends, so a long run shows progress
  }

  private static String orNa(double value, String format) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
  }
}
