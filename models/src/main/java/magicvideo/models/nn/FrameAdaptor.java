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
    NDArray sc = f == maxFrames ? scale.array() : scale.array().get("0:" + f);
    NDArray sh = f == maxFrames ? shift.array() : shift.array().get("0:" + f);
    // (B*F, C, H, W) -> (B, F, C, H*W) * (1, F, C, 1) + (1, F, C, 1)
    return x.reshape(clip.batch(), f, c, -1)
        .mul(sc.reshape(1, f, c, 1))
        .add(sh.reshape(1, f, c, 1))
        .reshape(s);
  }
}
