package magicvideo.models.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import magicvideo.models.nn.FlopCounter;
import magicvideo.models.nn.Module;
import magicvideo.models.text.ClipTextConfig;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.text.TokenizerFiles;
import magicvideo.models.unet.Conditioning;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.unet.VideoUNet;
import magicvideo.models.vae.VaeConfig;
import magicvideo.models.vae.VideoVae;

/**
 * Times one forward pass of each network (U-Nets, the VideoVAE decoder, the CLIP text encoder) at
 * a test-sized and a larger preset on this machine: parameters the pass uses, FLOPs (counted by the
 * layers themselves), milliseconds and GFLOP/s. Run with {@code bin/bench networks}.
 */
public final class NetworkBenchmark {

  /** One network at one size, the parameters its pass uses, and the input of one forward pass. */
  record Case(String name, Module net, long params, Function<NDManager, NDArray> forward) {}

  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    // optional second argument: run only the networks whose name contains it, e.g. "medium"
    String only = args.length > 1 ? args[1] : "";
    Engine engine = Engine.getInstance(); // loads libtorch, which JniUtils needs
    System.out.printf(Locale.ROOT, "best of %d forward passes; %s %s, intra-op threads: %d%n", repeats,
        engine.getEngineName(), engine.getVersion(), JniUtils.getNumThreads());
    System.out.printf(Locale.ROOT, "%-36s %12s %10s %10s %9s%n", "network (input)", "params", "GFLOP", "ms", "GFLOP/s");
    for (Case c : cases().stream().filter(c -> c.name().contains(only)).toList()) {
      try (NDManager m = NDManager.newBaseManager()) {
        c.net().initialize(m, 0);
        run(c, m); // warm-up: first call pays for kernel selection and allocation
        long best = Long.MAX_VALUE;
        long flops = 0;
        for (int i = 0; i < repeats; i++) {
          try (NDManager step = m.newSubManager()) {
            long t0 = System.nanoTime();
            FlopCounter.Counted<NDArray> out = FlopCounter.count(() -> c.forward().apply(step));
            out.result().toFloatArray(); // forces the computation to finish
            best = Math.min(best, System.nanoTime() - t0);
            flops = out.flops();
          }
        }
        double ms = best / 1e6;
        System.out.printf(Locale.ROOT, "%-36s %12d %10.2f %10.1f %9.1f%n", c.name(), c.params(),
            flops / 1e9, ms, flops / 1e9 / (ms / 1e3));
      }
    }
  }

  private static void run(Case c, NDManager m) {
    try (NDManager step = m.newSubManager()) {
      c.forward().apply(step).toFloatArray();
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(unet("keyframe U-Net tiny (1x8x4x8x8)", UNetConfig.tinyKeyframes(), 1, 8));
    cases.add(unet("keyframe U-Net medium (1x16x4x16x16)", UNetConfig.mediumKeyframes(), 1, 16));
    cases.add(unet("interpolation U-Net tiny (1x5x9x8x8)", UNetConfig.tinyInterpolation(3), 1, 8));
    cases.add(unet("interpolation U-Net medium (1x5x9x16x16)", UNetConfig.mediumInterpolation(3), 1, 16));
    cases.add(unet("super-res U-Net tiny (1x8x6x32x32)", UNetConfig.tinySuperResolution(), 1, 32));
    cases.add(unet("super-res U-Net medium (1x8x6x64x64)", UNetConfig.mediumSuperResolution(), 1, 64));
    cases.add(vaeDecoder("VideoVAE decoder tiny (1x8x4x8x8)", VaeConfig.tiny(), 8));
    cases.add(vaeDecoder("VideoVAE decoder demo (1x8x4x8x8)", VaeConfig.demo(), 8));
    cases.add(vaeDecoder("VideoVAE decoder demo (1x8x4x32x32)", VaeConfig.demo(), 32));
    cases.add(textEncoder("CLIP text encoder tiny (1x16 ids)", ClipTextConfig.tiny()));
    cases.add(textEncoder("CLIP text encoder demo (1x77 ids)",
        ClipTextConfig.demo(TokenizerFiles.demoVocabulary().size() + 2)));
    cases.add(textEncoder("CLIP text encoder sd15 (1x77 ids)", ClipTextConfig.sd15()));
    return cases;
  }

  private static Case unet(String name, UNetConfig config, int batch, int size) {
    VideoUNet net = new VideoUNet(config);
    return new Case(name, net, net.parameterCount(), m -> {
      NDArray x = m.randomNormal(new Shape(batch, config.numFrames(), config.inChannels(), size, size));
      NDArray t = m.full(new Shape(batch), 500f);
      Conditioning cond = Conditioning.text(config.contextDim() > 0
          ? m.randomNormal(new Shape(batch, 77, config.contextDim())) : null);
      if (config.fpsConditioning()) {
        cond = cond.withFps(m.full(new Shape(batch), 8f));
      }
      if (config.noiseLevelConditioning()) {
        cond = cond.withNoiseLevel(m.full(new Shape(batch), 20f));
      }
      return net.forward(x, t, cond);
    });
  }

  /** Decodes 8 frames of {@code size}x{@code size} latents at once, as the generator's decode stage. */
  private static Case vaeDecoder(String name, VaeConfig config, int size) {
    VideoVae vae = new VideoVae(config);
    // the pass runs post_quant_conv and the decoder; the encoder and quant_conv sit idle
    long params = vae.namedParameters().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("encoder.") && !e.getKey().startsWith("quant_conv."))
        .mapToLong(e -> e.getValue().shape().size())
        .sum();
    return new Case(name, vae, params,
        m -> vae.decode(m.randomNormal(new Shape(1, 8, config.latentChannels(), size, size))));
  }

  /** Encodes one prompt of the encoder's full context length (the generator pads to it). */
  private static Case textEncoder(String name, ClipTextConfig config) {
    ClipTextEncoder encoder = new ClipTextEncoder(config);
    long[] ids = new long[config.contextLength()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (i * 7919L) % config.vocabSize();
    }
    return new Case(name, encoder, encoder.parameterCount(),
        m -> encoder.encode(m.create(ids, new Shape(1, ids.length))));
  }
}
