package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * MagicVideo's frame-wise adaptor: z_f = S_f * conv(z)_f + B_f, a learnable scale and shift per
 * frame f and channel. The 2D weights are shared by all frames; the adaptor lets each frame's
 * features drift from the image model's distribution at the cost of 2 x F x C parameters. Starts
 * at S=1, B=0 so the video network equals the image network at initialisation.
 */
public final class FrameAdaptor extends Module {
  private final int maxFrames;
  private final Param scale;
  private final Param shift;

  public FrameAdaptor(int maxFrames, int channels) {
    this.maxFrames = maxFrames;
    this.scale = param("scale", new Shape(maxFrames, channels), Init.ones());
    this.shift = param("shift", new Shape(maxFrames, channels), Init.zeros());
  }

  /** x: (B * F, C, H, W) with frame index fastest. */
  public NDArray forward(NDArray x, Clip clip) {
    int f = clip.frames();
    if (f > maxFrames) {
      throw new IllegalArgumentException(
          "frame adaptor was built for at most " + maxFrames + " frames, got " + f);
    }
    Shape s = x.getShape();
    long c = s.get(1);
    // Views of the parameters join the parameters' manager, not the call's: close them here so a
    // long-lived model does not collect handles on every call (autograd keeps its own references).
    try (NDArray scRows = scale.array().get("0:" + f);
        NDArray shRows = shift.array().get("0:" + f);
        NDArray sc = scRows.reshape(1, f, c, 1);
        NDArray sh = shRows.reshape(1, f, c, 1)) {
      // (B*F, C, H, W) -> (B, F, C, H*W) * (1, F, C, 1) + (1, F, C, 1)
      return x.reshape(clip.batch(), f, c, -1).mul(sc).add(sh).reshape(s);
    }
  }
}
