package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * diffusers' Transformer2DModel as in SD 1.5: GroupNorm, 1x1 conv in, transformer blocks over the
 * H*W tokens, 1x1 conv out, residual.
 */
public final class Transformer2D extends Module {
  private final GroupNorm norm;
  private final Conv2d projIn;
  private final BasicTransformerBlock block;
  private final Conv2d projOut;

  public Transformer2D(int channels, int heads, int contextDim, int groups,
      DirectedTemporalAttention.Mode temporal, int adaptorFrames) {
    this.norm = child("norm", new GroupNorm(groups, channels, 1e-6f));
    this.projIn = child("proj_in", Conv2d.k1(channels, channels, adaptorFrames));
    this.block = child("transformer_blocks.0", new BasicTransformerBlock(channels, heads, contextDim, temporal));
    this.projOut = child("proj_out", Conv2d.k1(channels, channels, adaptorFrames));
  }

  public NDArray forward(NDArray x, NDArray context, Clip clip) {
    Shape s = x.getShape();
    long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
    NDArray t = projIn.forward(norm.forward(x), clip);
    // (N, C, H, W) -> (N, HW, C)
    t = t.reshape(n, c, h * w).transpose(0, 2, 1);
    t = block.forward(t, context, clip);
    // (N, HW, C) -> (N, C, H, W)
    t = t.transpose(0, 2, 1).reshape(n, c, h, w);
    return projOut.forward(t, clip).add(x);
  }
}
