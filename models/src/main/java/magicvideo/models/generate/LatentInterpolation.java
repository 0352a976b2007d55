package magicvideo.models.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The data layout of MagicVideo's latent frame interpolation. Each pair of consecutive keyframes
 * (k, k+1) becomes one window of N + 2 frames [key k, N new frames, key k+1]; the interpolation
 * U-Net sees, per frame, the noisy latent, the keyframe latent where one is given (zeros
 * elsewhere) and a mask channel that is 1 on given frames. All windows of all clips go through the
 * network as one batch. Working on latents is ~48x cheaper than on pixels (8x8 spatial x 3/4
 * channels) and lets the VideoVAE's temporal layers see the dense sequence.
 */
public final class LatentInterpolation {
  private LatentInterpolation() {}

  /** Frames of the dense clip: K keyframes and N new frames between each pair. */
  public static int denseFrames(int keyframes, int between) {
    return keyframes + (keyframes - 1) * between;
  }

  /**
   * Conditioning channels of every window.
   *
   * @param keyframes (B, K, C, h, w) keyframe latents
   * @return (B * (K - 1), N + 2, C + 1, h, w): keyframe latents at window positions 0 and N + 1,
   *     zeros between, then the mask channel; window index = clip * (K - 1) + pair
   */
  public static NDArray conditioning(NDArray keyframes, int between) {
    Shape s = keyframes.getShape();
    long b = s.get(0), k = s.get(1), c = s.get(2), h = s.get(3), w = s.get(4);
    if (k < 2) {
      throw new IllegalArgumentException("interpolation needs at least 2 keyframes, got " + k);
    }
    long pairs = b * (k - 1);
    NDArray first = keyframes.get(new NDIndex(":, 0:{}", k - 1)).reshape(pairs, 1, c, h, w);
    NDArray last = keyframes.get(new NDIndex(":, 1:{}", k)).reshape(pairs, 1, c, h, w);
    NDArray middle = keyframes.getManager().zeros(new Shape(pairs, between, c, h, w), keyframes.getDataType());
    NDArray latents = NDArrays.concat(new NDList(first, middle, last), 1);
    NDArray ones = keyframes.getManager().ones(new Shape(pairs, 1, 1, h, w), keyframes.getDataType());
    NDArray zeros = keyframes.getManager().zeros(new Shape(pairs, between, 1, h, w), keyframes.getDataType());
    NDArray mask = NDArrays.concat(new NDList(ones, zeros, ones), 1);
    return latents.concat(mask, 2);
  }

  /**
   * Builds the dense clip from the keyframes and the generated windows; keyframes are kept exactly
   * (the network's own prediction at the keyframe positions is discarded).
   *
   * @param keyframes (B, K, C, h, w)
   * @param windows (B * (K - 1), N + 2, C, h, w) denoised windows
   * @return (B, K + (K - 1) N, C, h, w)
   */
  public static NDArray assemble(NDArray keyframes, NDArray windows, int between) {
    Shape s = keyframes.getShape();
    long b = s.get(0), k = s.get(1), c = s.get(2), h = s.get(3), w = s.get(4);
    NDArray generated = windows.get(new NDIndex(":, 1:{}", between + 1)).reshape(b, k - 1, between, c, h, w);
    NDArray keys = keyframes.get(new NDIndex(":, 0:{}", k - 1)).reshape(b, k - 1, 1, c, h, w);
    // (B, K-1, 1 + N, C, h, w): each keyframe followed by its N new frames, then the final keyframe
    NDArray body = keys.concat(generated, 2).reshape(b, (k - 1) * (1 + between), c, h, w);
    return body.concat(keyframes.get(new NDIndex(":, {}:{}", k - 1, k)), 1);
  }
}
