package magicvideo.pipeline.bench;

import magicvideo.models.bench.ProcessMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import magicvideo.models.generate.RandomModels;

/**
 * Memory of the MagicVideo job on the DirectRunner over many prompts (default 1,000) through the
 * tiny random model at the cheapest settings: the JVM's peak resident set (VmHWM), the heap's peak
 * and its live size after collection, and the resident set over the run, which shows whether
 * memory stays bounded as videos stream through. Run with {@code bin/bench pipeline-memory
 * [--videos=N] [job flags]}; e.g. {@code --until=encode} for complete videos (about ten times the
 * time, dominated by super-resolution).
 *
 * <p>Run it in a JVM of its own (bin/bench does): the peaks are reset before the job, but pages a
 * JVM has once committed stay resident.
 */
public final class PipelineMemoryBenchmark {
  /**
   * One step per stage, 2 keyframes (5 frames), and up to the VideoVAE's decoded frames, written
   * as tensors: every GPU stage but super-resolution, so 1,000 prompts take minutes, not an hour.
   */
  private static final Flags DEFAULTS = Flags.of("--steps=1", "--interpolationSteps=1", "--upscaleSteps=1",
      "--keyframes=2", "--until=decode");

  private static final int DEFAULT_VIDEOS = 1000;
  private static final long SAMPLE_MILLIS = 500;
  private static final long MB = 1 << 20;

  private PipelineMemoryBenchmark() {}

  public static void main(String[] args) throws IOException {
    Flags flags = DEFAULTS.overriddenBy(Flags.of(args));
    int videos = flags.intValue("videos", DEFAULT_VIDEOS);
    if (videos < 1) {
      throw new IllegalArgumentException("--videos must be >= 1, got " + videos);
    }
    Path work = Files.createTempDirectory("magicvideo-memory-bench");
    try {
      Path model = RandomModels.writeTiny(work.resolve("model"), 0).root();
      Flags job = flags.without("videos").with("model", model).with("runner", "DirectRunner");
      Path prompts = BenchPrompts.write(work, videos);
      System.out.printf(Locale.ROOT, "%s, %d videos on the DirectRunner, max heap %d MB; job flags: %s%n",
          RandomModels.TINY_NAME, videos, Runtime.getRuntime().maxMemory() / MB, job.without("model"));

      long before = ProcessMemory.residentBytes(); // JVM and libtorch, loaded by writing the model
      ProcessMemory.resetPeaks();
      BenchJob.Result result;
      MemorySampler sampler = MemorySampler.every(SAMPLE_MILLIS);
      try (sampler) {
        result = BenchJob.run(job, prompts, videos, work.resolve("out"));
      }
      print(job, result, before, sampler);
    } finally {
      BenchJob.deleteTree(work);
    }
  }

  private static void print(Flags job, BenchJob.Result result, long before, MemorySampler sampler) {
    Span time = result.time();
    System.out.println();
    System.out.println("| DirectRunner, " + result.videos() + " prompts, " + job.without("model").without("runner")
        + " | |");
    System.out.println("|---|---:|");
    System.out.printf(Locale.ROOT, "| wall s / CPU s / videos per min | %.0f / %.0f / %.0f |%n", time.wallSeconds(),
        time.cpuSeconds(), result.videos() * 60 / time.wallSeconds());
    System.out.printf(Locale.ROOT, "| resident set before the job (JVM + libtorch) | %d MB |%n", before / MB);
    System.out.printf(Locale.ROOT, "| resident set at 25 / 50 / 75 / 100 %% of the run | %d / %d / %d / %d MB |%n",
        sampler.at(0.25).residentBytes() / MB, sampler.at(0.5).residentBytes() / MB,
        sampler.at(0.75).residentBytes() / MB, sampler.at(1).residentBytes() / MB);
    System.out.printf(Locale.ROOT, "| peak resident set (VmHWM) | %d MB |%n", ProcessMemory.peakResidentBytes() / MB);
    System.out.printf(Locale.ROOT, "| peak heap used (garbage included; max heap %d MB) | %d MB |%n",
        Runtime.getRuntime().maxMemory() / MB, ProcessMemory.peakHeapBytes() / MB);
    System.out.printf(Locale.ROOT, "| largest heap left after a collection (live data) | %d MB |%n",
        sampler.maxHeapAfterGcBytes() / MB);
  }
}
