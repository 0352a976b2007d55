package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;

/** Nearest x2 upsampling followed by a 3x3 convolution ({@code conv}), as diffusers' Upsample2D. */
public final class Upsample2D extends Module {
  private final Conv2d conv;

  public Upsample2D(int channels, int adaptorFrames) {
    this.conv = child("conv", Conv2d.k3(channels, channels, adaptorFrames));
  }

  public NDArray forward(NDArray x, Clip clip) {
    return conv.forward(Ops.upsampleNearest2x(x), clip);
  }
}
