package magicvideo.models.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.ForwardPassListener;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.LatentClip;
import magicvideo.models.generate.RandomModels;
import magicvideo.models.generate.Stage;
import magicvideo.models.generate.VideoGenerator;
import magicvideo.models.generate.VideoRequest;
import magicvideo.models.io.Flags;
import magicvideo.models.io.ModelDirectory;

/**
 * Times the single-machine generator on the tiny random model: seconds per stage and per video,
 * the share of each stage spent inside the networks' forward passes (text encoder, U-Nets, VAE)
 * rather than around them (noise, samplers, guidance, copies between Java and native memory), and
 * peak memory. Run with {@code bin/bench generator [--videos=4] [--batch=1] [--steps=25]
 * [--interpolation-steps=10] [--upscale-steps=10] [--sampler=dpmpp-2m]}.
 */
public final class GeneratorBenchmark {
  private static final String USAGE = "usage: bin/bench generator [--videos=N] [--batch=N] [--steps=N]"
      + " [--interpolation-steps=N] [--upscale-steps=N] [--sampler=ddim|dpmpp-2m]";

  private GeneratorBenchmark() {}

  public static void main(String[] args) throws IOException {
    Flags options = Flags.parse(args, List.of("videos", "batch", "steps", "interpolation-steps", "upscale-steps",
        "sampler"), USAGE);
    int videos = options.intValue("videos", 4);
    int batch = options.intValue("batch", 1);
    GenerationSettings settings = settings(options);
    if (videos < 1 || batch < 1) {
      throw new IllegalArgumentException("--videos and --batch must be >= 1, got " + videos + " and " + batch);
    }
    Path modelDir = Files.createTempDirectory("magicvideo-bench-model");
    try {
      RandomModels.writeTiny(modelDir, 0);
      try (VideoGenerator generator = VideoGenerator.open(modelDir)) {
        run(generator, videos, batch, settings);
      }
    } finally {
      ModelDirectory.deleteIfExists(modelDir);
    }
  }

  private static void run(VideoGenerator generator, int videos, int batch, GenerationSettings settings) {
    // the first call pays for allocation and kernel selection: one untimed single-step batch
    generator.generate(requests(0, batch), settings.withSteps(1).withStageSteps(1, 1));
    ProcessMemory.resetPeaks();
    StageClock clock = new StageClock();
    generator.setForwardPassListener(clock);
    for (int start = 0; start < videos; start += batch) {
      List<VideoRequest> requests = requests(start, Math.min(batch, videos - start));
      List<LatentClip> keys = clock.time(Stage.KEYFRAMES, () -> generator.keyframes(requests, settings));
      List<LatentClip> dense = clock.time(Stage.INTERPOLATE, () -> generator.interpolate(requests, keys, settings));
      List<VideoFrames> frames = clock.time(Stage.DECODE, () -> generator.decode(dense, settings));
      clock.time(Stage.UPSCALE, () -> generator.upscale(requests, frames, settings));
    }
    Engine engine = Engine.getInstance();
    System.out.printf(Locale.ROOT, "%s, %d videos in batches of %d: %s, steps %d/%d/%d"
            + " (keyframes/interpolation/upscale), guidance %.1f; %s %s, intra-op threads: %d%n",
        RandomModels.TINY_NAME, videos, batch, settings.sampler(), settings.steps(), settings.interpolationSteps(),
        settings.upscaleSteps(), settings.guidance(), engine.getEngineName(), engine.getVersion(),
        JniUtils.getNumThreads());
    clock.print(videos);
    System.out.printf(Locale.ROOT, "peak memory while generating: JVM heap %d MB (sum of the pools' peaks),"
            + " resident set %d MB (VmHWM)%n", ProcessMemory.peakHeapBytes() >> 20,
        ProcessMemory.peakResidentBytes() >> 20);
  }

  /** The command line's defaults with the sampler and steps of {@code options}. */
  private static GenerationSettings settings(Flags options) {
    GenerationSettings defaults = GenerationSettings.defaults();
    return defaults
        .withSampler(options.get("sampler", defaults.sampler()))
        .withSteps(options.intValue("steps", defaults.steps()))
        .withStageSteps(options.intValue("interpolation-steps", defaults.interpolationSteps()),
            options.intValue("upscale-steps", defaults.upscaleSteps()))
        .validated();
  }

  /**
   * Wall time per stage, and how much of it the networks' forward passes took (reported by the
   * generator while the stage runs on this thread).
   */
  private static final class StageClock implements ForwardPassListener {
    private final Map<Stage, Long> wall = new EnumMap<>(Stage.class);
    private final Map<Stage, Long> inNetworks = new EnumMap<>(Stage.class);
    private final Map<String, Long> byNetwork = new LinkedHashMap<>();
    private long networkTotal;

    @Override
    public void forwardPass(String component, long nanos) {
      byNetwork.merge(component, nanos, Long::sum);
      networkTotal += nanos;
    }

    <T> T time(Stage stage, Supplier<T> work) {
      long networkBefore = networkTotal;
      long start = System.nanoTime();
      T out = work.get();
      wall.merge(stage, System.nanoTime() - start, Long::sum);
      inNetworks.merge(stage, networkTotal - networkBefore, Long::sum);
      return out;
    }

    void print(int videos) {
      System.out.printf(Locale.ROOT, "%-14s %10s %12s%n", "stage", "s/video", "in networks");
      long allWall = 0;
      long allNetworks = 0;
      for (Stage stage : wall.keySet()) {
        row(stage.configName(), wall.get(stage), inNetworks.get(stage), videos);
        allWall += wall.get(stage);
        allNetworks += inNetworks.get(stage);
      }
      row("all stages", allWall, allNetworks, videos);
      StringBuilder split = new StringBuilder("forward passes, s/video:");
      byNetwork.forEach((network, nanos) ->
          split.append(String.format(Locale.ROOT, " %s %.3f", network, nanos / 1e9 / videos)));
      System.out.println(split);
    }

    private static void row(String name, long wallNanos, long networkNanos, int videos) {
      System.out.printf(Locale.ROOT, "%-14s %10.3f %10.1f %%%n", name, wallNanos / 1e9 / videos,
          100.0 * networkNanos / wallNanos);
    }
  }

  private static List<VideoRequest> requests(int first, int count) {
    List<VideoRequest> out = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      out.add(new VideoRequest("bench-" + i, "a red circle moving left", "a blue square", i));
    }
    return out;
  }
}
