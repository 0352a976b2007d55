package magicvideo.models.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-run generation parameters, in the terms users know from diffusers' pipelines. Each stage has
 * its own steps and guidance because they differ in the paper's setup (keyframes need strong text
 * guidance; interpolation and super-resolution are conditioned on pixels/latents already).
 *
 * @param sampler "ddim" or "dpmpp-2m"
 * @param steps keyframe denoising steps (num_inference_steps)
 * @param guidance keyframe classifier-free guidance scale (guidance_scale); 1 = no guidance
 * @param eta DDIM eta (0 = deterministic DDIM)
 * @param keyframes number of keyframes (16 in the paper); 0 = the model's own
 * @param width keyframe width in pixels; 0 = the model's own
 * @param height keyframe height in pixels; 0 = the model's own
 * @param fps frame rate of the output video (and FPS conditioning of the keyframe model)
 * @param interpolationSteps denoising steps of latent frame interpolation
 * @param interpolationGuidance guidance scale of interpolation
 * @param upscaleSteps denoising steps of super-resolution
 * @param upscaleGuidance guidance scale of super-resolution
 * @param upscaleNoiseLevel noise-augmentation level applied to the low-res frames (SD x4: 20)
 * @param decodeChunk frames decoded by the VideoVAE at once (bounds memory)
 * @param upscaleChunk frames super-resolved at once
 */
public record GenerationSettings(
    String sampler,
    int steps,
    float guidance,
    float eta,
    int keyframes,
    int width,
    int height,
    double fps,
    int interpolationSteps,
    float interpolationGuidance,
    int upscaleSteps,
    float upscaleGuidance,
    int upscaleNoiseLevel,
    int decodeChunk,
    int upscaleChunk) implements Serializable {

  /** The defaults of the command line: DPM-Solver++ 2M, 25 keyframe steps, guidance 7.5. */
  public static GenerationSettings defaults() {
    return new GenerationSettings("dpmpp-2m", 25, 7.5f, 0f, 0, 0, 0, 8, 10, 1f, 10, 1f, 20, 16, 8);
  }

  /** Every problem with these settings, as messages naming the parameter; empty when valid. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (sampler == null || sampler.isBlank()) {
      p.add("sampler is empty");
    }
    checkSteps(p, "steps", steps);
    checkSteps(p, "interpolationSteps", interpolationSteps);
    checkSteps(p, "upscaleSteps", upscaleSteps);
    checkGuidance(p, "guidance", guidance);
    checkGuidance(p, "interpolationGuidance", interpolationGuidance);
    checkGuidance(p, "upscaleGuidance", upscaleGuidance);
    if (!(eta >= 0 && eta <= 1)) {
      p.add("eta must be in [0, 1], got " + eta);
    }
    if (keyframes < 0 || keyframes == 1) {
      p.add("keyframes must be 0 (the model's own) or >= 2, got " + keyframes);
    }
    if (width < 0 || height < 0) {
      p.add("width and height must be >= 0, got " + width + "x" + height);
    }
    if (!(fps > 0 && fps <= 240)) {
      p.add("fps must be in (0, 240], got " + fps);
    }
    if (upscaleNoiseLevel < 0 || upscaleNoiseLevel > 999) {
      p.add("upscaleNoiseLevel must be in [0, 999], got " + upscaleNoiseLevel);
    }
    if (decodeChunk < 1 || upscaleChunk < 1) {
      p.add("decodeChunk and upscaleChunk must be >= 1, got " + decodeChunk + " and " + upscaleChunk);
    }
    return p;
  }

  /** Throws an IllegalArgumentException listing every problem. */
  public GenerationSettings validated() {
    List<String> p = problems();
    if (!p.isEmpty()) {
      throw new IllegalArgumentException("invalid generation settings: " + String.join("; ", p));
    }
    return this;
  }

  private static void checkSteps(List<String> p, String name, int v) {
    if (v < 1 || v > 1000) {
      p.add(name + " must be in [1, 1000], got " + v);
    }
  }

  private static void checkGuidance(List<String> p, String name, float v) {
    if (!(v >= 0 && v <= 100)) {
      p.add(name + " must be in [0, 100], got " + v);
    }
  }

  public GenerationSettings withSampler(String s) {
    return new GenerationSettings(s, steps, guidance, eta, keyframes, width, height, fps, interpolationSteps,
        interpolationGuidance, upscaleSteps, upscaleGuidance, upscaleNoiseLevel, decodeChunk, upscaleChunk);
  }

  public GenerationSettings withSteps(int s) {
    return new GenerationSettings(sampler, s, guidance, eta, keyframes, width, height, fps, interpolationSteps,
        interpolationGuidance, upscaleSteps, upscaleGuidance, upscaleNoiseLevel, decodeChunk, upscaleChunk);
  }

  public GenerationSettings withGuidance(float g) {
    return new GenerationSettings(sampler, steps, g, eta, keyframes, width, height, fps, interpolationSteps,
        interpolationGuidance, upscaleSteps, upscaleGuidance, upscaleNoiseLevel, decodeChunk, upscaleChunk);
  }

  public GenerationSettings withKeyframes(int k) {
    return new GenerationSettings(sampler, steps, guidance, eta, k, width, height, fps, interpolationSteps,
        interpolationGuidance, upscaleSteps, upscaleGuidance, upscaleNoiseLevel, decodeChunk, upscaleChunk);
  }

  public GenerationSettings withStageSteps(int interpolation, int upscale) {
    return new GenerationSettings(sampler, steps, guidance, eta, keyframes, width, height, fps, interpolation,
        interpolationGuidance, upscale, upscaleGuidance, upscaleNoiseLevel, decodeChunk, upscaleChunk);
  }
}
