package magicvideo.pipeline.bench;

import magicvideo.models.bench.ProcessMemory;
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
 * markdown table with wall and CPU seconds and the JVM's peak resident set per case, and the
 * pipeline's overhead ratio (loop rate / DirectRunner rate at batch 1).
 *
 * <p>Run with {@code bin/bench pipeline [--videos=N] [--rounds=N] [--cases=all|overhead] [job
 * flags]}: the loop and the DirectRunner at batch 1 are measured {@code rounds} times, alternating,
 * and the fastest of each is compared, which evens out bursts of other work on a shared machine.
 * {@code --cases=overhead} stops there (the overhead ratio alone, in a third of the time).
 * {@code --model=DIR} runs another model than the tiny random one, and {@code --settings=default}
 * drops the cheapest settings below for the job's own defaults (e.g. {@code --model=models/demo
 * --settings=default}: the main command's work per video). Job
 * flags (e.g. {@code --steps=10}) override the defaults below for every case and reach the loop
 * through {@link RunSettings}. Each runner first runs a small untimed job, so JIT compilation,
 * PyTorch's and FFmpeg's native libraries and Flink's classes are loaded before anything is timed.
 * The model is loaded once by the loop (reported beside its rate, not in it) and once per job by
 * the pipeline (in its rate, as users pay it; reported too).
 */
public final class PipelineBenchmark {
  /**
   * Few steps and 2 keyframes (5 frames of 128x128 after super-resolution): the networks' work is
   * as small as it gets, so the pipeline's own per-video work (coders, bundles, shuffles, manifest)
   * weighs as much as it ever will in the overhead ratio. Also bounds memory: one super-resolution
   * pass holds ~1.3 GB per video of its batch at 5 frames (~2.1 GB at 8 frames or more), so batch 4
   * of longer clips would need over 10 GB.
   */
  private static final Flags DEFAULTS =
      Flags.of("--steps=2", "--interpolationSteps=1", "--upscaleSteps=1", "--keyframes=2");

  private static final int DEFAULT_VIDEOS = 16;
  private static final int DEFAULT_ROUNDS = 2;
  private static final int WARMUP_VIDEOS = 4;

  private PipelineBenchmark() {}

  public static void main(String[] args) throws IOException {
    Flags given = Flags.of(args);
    // --settings=default: the job's own defaults (e.g. 25/10/10 steps, the model's keyframes)
    String settings = given.value("settings", "cheapest");
    if (!settings.equals("cheapest") && !settings.equals("default")) {
      throw new IllegalArgumentException("--settings must be cheapest or default, got '" + settings + "'");
    }
    Flags flags = (settings.equals("cheapest") ? DEFAULTS.overriddenBy(given) : given).without("settings");
    int videos = flags.intValue("videos", DEFAULT_VIDEOS);
    int rounds = flags.intValue("rounds", DEFAULT_ROUNDS);
    if (videos < 1 || rounds < 1) {
      throw new IllegalArgumentException("--videos and --rounds must be >= 1, got " + videos + " and " + rounds);
    }
    String cases = flags.value("cases", "all");
    if (!cases.equals("all") && !cases.equals("overhead")) {
      throw new IllegalArgumentException("--cases must be all or overhead, got '" + cases + "'");
    }
    Path work = Files.createTempDirectory("magicvideo-pipeline-bench");
    try {
      // --model=DIR (e.g. models/demo with the default settings) instead of the tiny random model
      Path model = flags.value("model", null) != null ? Path.of(flags.value("model", null))
          : RandomModels.writeTiny(work.resolve("model"), 0).root();
      Flags job = flags.without("videos").without("rounds").without("cases").with("model", model);
      new PipelineBenchmark().run(job, videos, rounds, cases.equals("all"), work);
    } finally {
      BenchJob.deleteTree(work);
    }
  }

  /** One line of the table: a case and what it measured. */
  private record Row(String name, int videos, double meanBatch, Span time, double modelLoadSeconds, long peakRss) {}

  private final List<Row> rows = new ArrayList<>();

  /** {@code allCases}: Flink and larger batches too, else the loop and DirectRunner batch 1 only. */
  private void run(Flags job, int videos, int rounds, boolean allCases, Path work) throws IOException {
    Path warmup = BenchPrompts.write(work, WARMUP_VIDEOS);
    Path prompts = BenchPrompts.write(work, videos);
    System.out.printf(Locale.ROOT, "%s, %d videos per case, %d cores, max heap %d MB, OMP_WAIT_POLICY=%s;"
            + " job flags: %s%n",
        job.value("model", null), videos, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)"),
        job.without("model"));

    Flags direct = job.with("runner", "DirectRunner");
    BenchJob.run(direct, warmup, WARMUP_VIDEOS, work.resolve("out"));

    // loop and job alternate, so that a burst of other work on a shared machine hits both
    Span loopBest = null;
    Span jobBest = null;
    double loopLoad = 0;
    for (int round = 1; round <= rounds; round++) {
      String label = rounds == 1 ? "" : " (round " + round + ")";
      ProcessMemory.resetPeaks();
      GeneratorLoop.Timing loop = loop(job.with("batchSize", 1), prompts, work);
      long loopPeak = ProcessMemory.peakResidentBytes();
      add(new Row("generator loop, frames only" + label, videos, 1, loop.generate(), Double.NaN, loopPeak));
      add(new Row("generator loop + encode + write" + label, videos, 1, loop.loop(), Double.NaN, loopPeak));
      BenchJob.Result batch1 = job(direct.with("batchSize", 1), "DirectRunner, batch 1" + label, prompts, videos, work);
      loopBest = faster(loopBest, loop.loop());
      jobBest = faster(jobBest, batch1.time());
      loopLoad = loop.load().wallSeconds();
    }
    if (allCases) {
      runOtherCases(job, direct, warmup, prompts, videos, work);
    }

    printTable(loopBest);
    System.out.printf(Locale.ROOT, "The loop loads the model once (%.2f s, not in its rate); each job loads it"
        + " inside its time ('model load s'; Flink does not report it). Ratios are to the fastest loop with"
        + " encoding. Peak RSS: VmHWM during the case, reset before it; memory earlier cases left resident"
        + " counts.%n", loopLoad);
    System.out.printf(Locale.ROOT, "Pipeline overhead (loop rate / pipeline rate), fastest DirectRunner batch 1 vs"
            + " fastest loop with encoding: %.2fx in wall time, %.2fx in CPU time%n",
        jobBest.wallSeconds() / loopBest.wallSeconds(), jobBest.cpuSeconds() / loopBest.cpuSeconds());
  }

  /** FlinkRunner [local] at parallelism 1 and 2, then the DirectRunner at batch 2 and 4. */
  private void runOtherCases(Flags job, Flags direct, Path warmup, Path prompts, int videos, Path work)
      throws IOException {
    Flags flink = job.with("runner", "FlinkRunner").with("flinkMaster", "[local]").with("batchSize", 1);
    BenchJob.run(flink.with("parallelism", 1), warmup, WARMUP_VIDEOS, work.resolve("out"));
    job(flink.with("parallelism", 1), "FlinkRunner [local], parallelism 1", prompts, videos, work);
    job(flink.with("parallelism", 2), "FlinkRunner [local], parallelism 2", prompts, videos, work);

    // last: larger batches need the most memory, and what a case leaves resident (glibc keeps
    // freed native memory) is the floor of the next case's peak
    job(direct.with("batchSize", 2), "DirectRunner, batch 2", prompts, videos, work);
    job(direct.with("batchSize", 4), "DirectRunner, batch 4", prompts, videos, work);
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

  private BenchJob.Result job(Flags flags, String name, Path prompts, int videos, Path work) throws IOException {
    ProcessMemory.resetPeaks();
    BenchJob.Result r = BenchJob.run(flags, prompts, videos, work.resolve("out"));
    add(new Row(name, videos, r.meanBatch(), r.time(), r.modelLoadSeconds(), ProcessMemory.peakResidentBytes()));
    return r;
  }

  private void add(Row row) {
    rows.add(row);
    // as each case ends, so that a long run shows progress
    System.out.printf(Locale.ROOT, "%s: %.1f s wall, %.1f s CPU%n", row.name(), row.time().wallSeconds(),
        row.time().cpuSeconds());
  }

  private void printTable(Span baseline) {
    System.out.println();
    System.out.println("| case | videos | batch (mean) | wall s | CPU s | videos/min | model load s | peak RSS MB"
        + " | wall / loop | CPU / loop |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      Span t = r.time();
      System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f | %.1f | %.1f | %s | %d | %.2f | %.2f |%n", r.name(),
          r.videos(), orNa(r.meanBatch(), "%.1f"), t.wallSeconds(), t.cpuSeconds(), r.videos() * 60 / t.wallSeconds(),
          orNa(r.modelLoadSeconds(), "%.2f"), r.peakRss() >> 20, t.wallSeconds() / baseline.wallSeconds(),
          t.cpuSeconds() / baseline.cpuSeconds());
    }
    System.out.println();
  }

  private static Span faster(Span best, Span candidate) {
    return best == null || candidate.wallSeconds() < best.wallSeconds() ? candidate : best;
  }

  private static String orNa(double value, String format) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
  }
}
