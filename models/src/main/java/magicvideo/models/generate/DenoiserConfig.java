package magicvideo.models.generate;

import magicvideo.models.sampling.FrameCorrelatedNoise;
import magicvideo.models.sampling.SchedulerConfig;
import magicvideo.models.unet.UNetConfig;

/**
 * The model.json config of a diffusion component: its U-Net, the noise schedule it was trained
 * with, and the spatial size of the samples it makes by default.
 *
 * @param unet the network
 * @param scheduler the training noise schedule (samplers are built from it)
 * @param sampleHeight default height of the network's input (latent rows for keyframes and
 *     interpolation, output pixels for super-resolution)
 * @param sampleWidth default width, likewise
 * @param upscaleFactor output size / input size for super-resolution, 1 for the others
 * @param frameNoiseCorrelation the correlation between the frames of the noise the network was
 *     trained with and samples from, in [0, 1): 0 is independent noise per frame (as every model
 *     so far); model.json must state it, like every field; see {@link FrameCorrelatedNoise}
 */
public record DenoiserConfig(UNetConfig unet, SchedulerConfig scheduler, int sampleHeight, int sampleWidth,
    int upscaleFactor, double frameNoiseCorrelation) {

  /** A denoiser trained on independent noise per frame. */
  public DenoiserConfig(UNetConfig unet, SchedulerConfig scheduler, int sampleHeight, int sampleWidth,
      int upscaleFactor) {
    this(unet, scheduler, sampleHeight, sampleWidth, upscaleFactor, 0);
  }

  public DenoiserConfig {
    if (unet == null || scheduler == null) {
      throw new IllegalArgumentException("a denoiser config needs a unet and a scheduler");
    }
    if (sampleHeight % unet.sizeMultiple() != 0 || sampleWidth % unet.sizeMultiple() != 0) {
      throw new IllegalArgumentException("denoiser sample size " + sampleHeight + "x" + sampleWidth
          + " must be a multiple of " + unet.sizeMultiple());
    }
    if (upscaleFactor < 1) {
      throw new IllegalArgumentException("upscaleFactor must be >= 1, got " + upscaleFactor);
    }
    FrameCorrelatedNoise.check(frameNoiseCorrelation);
  }

  /** The same denoiser trained and sampled with frame-correlated noise {@code correlation}. */
  public DenoiserConfig withFrameNoiseCorrelation(double correlation) {
    return new DenoiserConfig(unet, scheduler, sampleHeight, sampleWidth, upscaleFactor, correlation);
  }

  public DenoiserConfig withUNet(UNetConfig other) {
    return new DenoiserConfig(other, scheduler, sampleHeight, sampleWidth, upscaleFactor, frameNoiseCorrelation);
  }

  public DenoiserConfig withScheduler(SchedulerConfig other) {
    return new DenoiserConfig(unet, other, sampleHeight, sampleWidth, upscaleFactor, frameNoiseCorrelation);
  }
}
