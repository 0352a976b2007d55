package magicvideo.models.generate;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.nn.Module;
import magicvideo.models.sampling.SchedulerConfig;
import magicvideo.models.text.ClipTextConfig;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.text.ClipTokenizerConfig;
import magicvideo.models.text.TokenizerFiles;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.vae.VaeConfig;
import magicvideo.models.vae.VideoVae;
import magicvideo.models.unet.VideoUNet;

/**
 * Builds complete MagicVideo model directories with freshly initialised (untrained) weights: the
 * tiny model that tests and the pipeline's plumbing run on, labelled as such in its model.json.
 * Its videos are noise; the trained demo model is what follows prompts.
 */
public final class RandomModels {
  public static final String TINY_NAME = "magicvideo-tiny-random";

  private RandomModels() {}

  /**
   * Writes the tiny model to {@code target}: 8 keyframes of 8x8x4 latents (32x32 pixels), 3
   * frames interpolated between each pair (29 frames), x4 super-resolution to 128x128, a small
   * CLIP text encoder over the demo vocabulary (word-level tokenizer.json).
   */
  public static ModelDirectory writeTiny(Path target, long seed) throws IOException {
    List<String> words = TokenizerFiles.demoVocabulary();
    ClipTextConfig text = ClipTextConfig.demo(words.size() + 2);
    int context = text.hidden();
    SchedulerConfig schedule = SchedulerConfig.stableDiffusion();
    DenoiserConfig keyframes = new DenoiserConfig(UNetConfig.tinyKeyframes().withContextDim(context), schedule, 8, 8, 1);
    DenoiserConfig interpolation =
        new DenoiserConfig(UNetConfig.tinyInterpolation(3).withContextDim(context), schedule, 8, 8, 1);
    DenoiserConfig upscale =
        new DenoiserConfig(UNetConfig.tinySuperResolution().withContextDim(context), schedule, 128, 128, 4);
    VaeConfig vae = VaeConfig.tiny();

    Path staging = Files.createTempDirectory("magicvideo-tokenizer");
    try (NDManager m = NDManager.newBaseManager()) {
      Path tokenizer = staging.resolve(ModelDirectory.TOKENIZER_FILE);
      TokenizerFiles.writeWordLevel(tokenizer, words);
      return ModelDirectory.builder(TINY_NAME, "0.1.0",
              "UNTRAINED tiny MagicVideo with random weights (seed " + seed + "), for tests and plumbing: "
                  + "its videos are noise")
          .tokenizer(tokenizer, ClipTokenizerConfig.CLIP)
          .component(ModelComponents.TEXT_ENCODER, text, init(new ClipTextEncoder(text), m, seed))
          .component(ModelComponents.KEYFRAME_UNET, keyframes, init(new VideoUNet(keyframes.unet()), m, seed + 1))
          .component(ModelComponents.INTERPOLATION_UNET, interpolation,
              init(new VideoUNet(interpolation.unet()), m, seed + 2))
          .component(ModelComponents.VAE, vae, init(new VideoVae(vae), m, seed + 3))
          .component(ModelComponents.SUPERRES_UNET, upscale, init(new VideoUNet(upscale.unet()), m, seed + 4))
          .write(target);
    } finally {
      Files.deleteIfExists(staging.resolve(ModelDirectory.TOKENIZER_FILE));
      Files.deleteIfExists(staging);
    }
  }

  private static java.util.Map<String, ai.djl.ndarray.NDArray> init(Module module, NDManager m, long seed) {
    module.initialize(m, seed);
    return module.stateDict();
  }
}
