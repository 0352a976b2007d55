package magicvideo.models.generate;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    TinyConfigs c = TinyConfigs.create();
    Path staging = Files.createTempDirectory("magicvideo-tokenizer");
    try (NDManager m = NDManager.newBaseManager()) {
      Path tokenizer = staging.resolve(ModelDirectory.TOKENIZER_FILE);
      TokenizerFiles.writeWordLevel(tokenizer, TokenizerFiles.demoVocabulary());
      return ModelDirectory.builder(TINY_NAME, tinyFingerprint(),
              "UNTRAINED tiny MagicVideo with random weights (seed " + seed + "), for tests and plumbing: "
                  + "its videos are noise")
          .tokenizer(tokenizer, ClipTokenizerConfig.CLIP)
          .component(ModelComponents.TEXT_ENCODER, c.text(), init(new ClipTextEncoder(c.text()), m, seed))
          .component(ModelComponents.KEYFRAME_UNET, c.keyframes(),
              init(new VideoUNet(c.keyframes().unet()), m, seed + 1))
          .component(ModelComponents.INTERPOLATION_UNET, c.interpolation(),
              init(new VideoUNet(c.interpolation().unet()), m, seed + 2))
          .component(ModelComponents.VAE, c.vae(), init(new VideoVae(c.vae()), m, seed + 3))
          .component(ModelComponents.SUPERRES_UNET, c.upscale(), init(new VideoUNet(c.upscale().unet()), m, seed + 4))
          .write(target);
    } finally {
      Files.deleteIfExists(staging.resolve(ModelDirectory.TOKENIZER_FILE));
      Files.deleteIfExists(staging);
    }
  }

  /**
   * The tiny model's version: the first 12 hex digits of the sha256 of its configs. A cached copy
   * made by an older build has another version, so callers that cache the model by version never
   * run a stale architecture.
   */
  public static String tinyFingerprint() {
    try {
      byte[] json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(TinyConfigs.create());
      return magicvideo.models.io.Sha256.of(json).substring(0, 12);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("tiny model configs do not serialise", e);
    }
  }

  /** Every config of the tiny model. */
  record TinyConfigs(ClipTextConfig text, DenoiserConfig keyframes, DenoiserConfig interpolation,
      DenoiserConfig upscale, VaeConfig vae) {
    static TinyConfigs create() {
      ClipTextConfig text = ClipTextConfig.demo(TokenizerFiles.demoVocabulary().size() + 2);
      int context = text.hidden();
      SchedulerConfig schedule = SchedulerConfig.stableDiffusion();
      return new TinyConfigs(text,
          new DenoiserConfig(UNetConfig.tinyKeyframes().withContextDim(context), schedule, 8, 8, 1),
          new DenoiserConfig(UNetConfig.tinyInterpolation(3).withContextDim(context), schedule, 8, 8, 1),
          new DenoiserConfig(UNetConfig.tinySuperResolution().withContextDim(context), schedule, 128, 128, 4),
          VaeConfig.tiny());
    }
  }

  private static java.util.Map<String, ai.djl.ndarray.NDArray> init(Module module, NDManager m, long seed) {
    module.initialize(m, seed);
    return module.stateDict();
  }
}
