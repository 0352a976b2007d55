package magicvideo.models.train;

import java.util.List;
import magicvideo.models.generate.DenoiserConfig;
import magicvideo.models.nn.DirectedTemporalAttention.Mode;
import magicvideo.models.sampling.BetaSchedule;
import magicvideo.models.sampling.PredictionType;
import magicvideo.models.sampling.SchedulerConfig;
import magicvideo.models.sampling.TimestepSpacing;
import magicvideo.models.text.ClipTextConfig;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.vae.VaeConfig;

/**
 * The configs of the trained demo model: MagicVideo's components in miniature for the shapes
 * world. 16 keyframes of 8x8x4 latents (32x32 pixels), 3 frames interpolated between each pair (61
 * frames), x4 pixel-space super-resolution to 128x128, a small CLIP-style text encoder over the
 * world's own words.
 */
public record DemoConfigs(ClipTextConfig text, DenoiserConfig keyframes, DenoiserConfig interpolation,
    DenoiserConfig upscale, VaeConfig vae) {

  /** The tokenizer's words: the world's captions plus a few words prompts commonly add. */
  public static final List<String> VOCABULARY = List.of("a", "an", "red", "green", "blue", "yellow", "magenta",
      "cyan", "white", "square", "circle", "triangle", "moving", "left", "right", "up", "down", "on", "black",
      "background");

  /**
   * Frames super-resolution sees at once, in training and (as its config's numFrames, which caps
   * the generator's chunk) at generation: its temporal attention knows only these frame positions.
   */
  public static final int UPSCALE_FRAMES = 4;

  public static DemoConfigs standard() {
    // two special tokens (start, end) follow the words, as TokenizerFiles writes them
    ClipTextConfig text = ClipTextConfig.demo(VOCABULARY.size() + 2);
    int context = text.hidden();
    SchedulerConfig latent = SchedulerConfig.stableDiffusion();
    // pixel-space super-resolution as SD's x4 upscaler: linear betas, v-prediction
    SchedulerConfig pixels = new SchedulerConfig(1000, 0.0001, 0.02, BetaSchedule.LINEAR,
        PredictionType.V_PREDICTION, TimestepSpacing.LEADING, 1, false);
    UNetConfig keyframes = new UNetConfig(4, 4, new int[] {32, 64}, new boolean[] {true, true}, 1, context, 4, 8,
        Mode.DIRECTED, true, ShapesData.KEYFRAMES, true, false);
    UNetConfig interpolation = new UNetConfig(9, 4, new int[] {32, 64}, new boolean[] {true, true}, 1, context, 4, 8,
        Mode.BIDIRECTIONAL, true, ShapesData.KEY_STRIDE + 1, true, false);
    // narrow at full resolution, attention only at 16x16: pixel-space SR dominates generation time
    UNetConfig upscale = new UNetConfig(6, 3, new int[] {8, 16, 32, 32}, new boolean[] {false, false, false, true}, 1,
        context, 4, 4, Mode.BIDIRECTIONAL, false, UPSCALE_FRAMES, false, true);
    VaeConfig vae = new VaeConfig(3, 4, new int[] {16, 32, 32}, 1, 8, 1f, Mode.BIDIRECTIONAL);
    int latentSide = ShapesData.LOW_SIZE / vae.latentFactor();
    int factor = ShapesData.HIGH_SIZE / ShapesData.LOW_SIZE;
    return new DemoConfigs(text,
        new DenoiserConfig(keyframes, latent, latentSide, latentSide, 1),
        new DenoiserConfig(interpolation, latent, latentSide, latentSide, 1),
        new DenoiserConfig(upscale, pixels, ShapesData.HIGH_SIZE, ShapesData.HIGH_SIZE, factor),
        vae);
  }

  /** The same model with the VAE's measured latent scaling factor. */
  public DemoConfigs withVaeScaling(float scalingFactor) {
    VaeConfig v = new VaeConfig(vae.inChannels(), vae.latentChannels(), vae.blockOutChannels(), vae.layersPerBlock(),
        vae.normGroups(), scalingFactor, vae.temporal());
    return new DemoConfigs(text, keyframes, interpolation, upscale, v);
  }

  /** The same model with another keyframe U-Net (ablations). */
  public DemoConfigs withKeyframeUNet(UNetConfig unet) {
    return withKeyframes(keyframes.withUNet(unet));
  }

  /** The same model with another keyframe denoiser (U-Net and schedule). */
  public DemoConfigs withKeyframes(DenoiserConfig other) {
    return new DemoConfigs(text, other, interpolation, upscale, vae);
  }

  /**
   * The same model with the keyframe U-Net on SD's betas rescaled to zero terminal SNR, with
   * v-prediction and trailing timesteps ({@link SchedulerConfig#withZeroTerminalSnr}): on SD's own
   * schedule 7% of the clip still shows through the noise at the last timestep, so the network can
   * read where the shape is from the noise instead of from the prompt, which pure noise at sampling
   * then lacks.
   */
  public DemoConfigs withKeyframeZeroTerminalSnr() {
    return withKeyframes(keyframes.withScheduler(keyframes.scheduler().withZeroTerminalSnr()));
  }

  /**
   * The same model with a keyframe U-Net that also adds the attention-pooled prompt to its timestep
   * embedding ({@link UNetConfig#textTimeEmbedding}).
   */
  public DemoConfigs withKeyframeTextTimeEmbedding() {
    return withKeyframeUNet(keyframes.unet().withTextTimeEmbedding(true));
  }

  /** The same model with the keyframe U-Net trained and sampled with frame-correlated noise. */
  public DemoConfigs withKeyframeNoiseCorrelation(double correlation) {
    return withKeyframes(keyframes.withFrameNoiseCorrelation(correlation));
  }
}
