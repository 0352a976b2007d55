package magicvideo.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import magicvideo.models.nn.Attention;
import magicvideo.models.nn.GroupNorm;

/**
 * The VAE mid block's spatial self-attention, as diffusers' Attention with {@code group_norm},
 * one head as wide as the channels, q/k/v with bias and a residual connection. Every frame
 * attends only within itself.
 */
final class VaeSelfAttention extends Attention {
  private final GroupNorm groupNorm;

  VaeSelfAttention(int channels, int groups) {
    super(channels, channels, 1, true, false, Naming.DIFFUSERS);
    this.groupNorm = child("group_norm", new GroupNorm(groups, channels, VideoVae.NORM_EPS));
  }

  /** x: (N, C, H, W) -> same shape. */
  NDArray forward(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0), c = s.get(1), hw = s.get(2) * s.get(3);
    // (N, C, H, W) -> (N, HW, C)
    NDArray tokens = groupNorm.forward(x).reshape(n, c, hw).transpose(0, 2, 1);
    NDArray out = forward(tokens, null, null);
    // (N, HW, C) -> (N, C, H, W)
    return out.transpose(0, 2, 1).reshape(s).add(x);
  }
}
