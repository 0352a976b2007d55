package magicvideo.models.unet;

import ai.djl.ndarray.NDArray;

/**
 * What a U-Net forward pass is conditioned on besides the timestep.
 *
 * @param context text embeddings (B, L, D), or null for a network without cross-attention
 * @param fps sampling frame rate per clip (B), for FPS-conditioned networks
 * @param noiseLevel noise-augmentation level of the low-res input per clip (B), super-resolution
 */
public record Conditioning(NDArray context, NDArray fps, NDArray noiseLevel) {
  public static Conditioning text(NDArray context) {
    return new Conditioning(context, null, null);
  }

  public Conditioning withFps(NDArray f) {
    return new Conditioning(context, f, noiseLevel);
  }

  public Conditioning withNoiseLevel(NDArray n) {
    return new Conditioning(context, fps, n);
  }
}
