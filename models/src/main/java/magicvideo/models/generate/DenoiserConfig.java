package magicvideo.models.generate;

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
 */
public record DenoiserConfig(
    UNetConfig unet, SchedulerConfig scheduler, int sampleHeight, int sampleWidth, int upscaleFactor) {

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
  }
}
