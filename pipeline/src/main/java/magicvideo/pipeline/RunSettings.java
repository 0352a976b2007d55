package magicvideo.pipeline;

import magicvideo.models.generate.GenerationSettings;

/** The generation parameters of a run, from its options; what the generation stages receive. */
public final class RunSettings {
  private RunSettings() {}

  /**
   * The options' values over {@link GenerationSettings#defaults()}; the parameters without an
   * option (interpolation and upscale guidance, upscale chunk) keep the defaults.
   */
  public static GenerationSettings generation(MagicVideoOptions options) {
    GenerationSettings d = GenerationSettings.defaults();
    return new GenerationSettings(
        options.getSampler(),
        options.getSteps(),
        (float) options.getGuidance(),
        (float) options.getEta(),
        options.getKeyframes(),
        options.getWidth(),
        options.getHeight(),
        options.getFps(),
        options.getInterpolationSteps(),
        d.interpolationGuidance(),
        options.getUpscaleSteps(),
        d.upscaleGuidance(),
        options.getUpscaleNoiseLevel(),
        options.getDecodeChunk(),
        d.upscaleChunk());
  }
}
