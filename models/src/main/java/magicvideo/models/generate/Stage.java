package magicvideo.models.generate;

import java.util.Locale;

/** The stages of MagicVideo generation, in order; each is one DoFn in the Beam pipeline. */
public enum Stage {
  /** CLIP text encoder + 3D U-Net latent diffusion: 16 keyframe latents. */
  KEYFRAMES,
  /** latent diffusion between consecutive keyframes: dense latents. */
  INTERPOLATE,
  /** VideoVAE decoder with temporal attention: RGB frames. */
  DECODE,
  /** diffusion super-resolution: x4 frames. */
  UPSCALE;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Stage fromName(String name) {
    for (Stage s : values()) {
      if (s.configName().equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown stage '" + name + "'; valid: keyframes, interpolate, decode, upscale");
  }
}
