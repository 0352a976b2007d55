package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Stride-2 3x3 convolution ({@code conv}). The U-Net pads 1 on every side; the VAE encoder pads
 * only right and bottom (diffusers' padding=0 + F.pad(0,1,0,1)), which matters for exact weights.
 */
public final class Downsample2D extends Module {
  private final Conv2d conv;
  private final boolean asymmetricPadding;

  public Downsample2D(int channels, boolean asymmetricPadding, int adaptorFrames) {
    this.asymmetricPadding = asymmetricPadding;
    this.conv = child("conv", new Conv2d(channels, channels, 3, 2, asymmetricPadding ? 0 : 1, adaptorFrames));
  }

  public NDArray forward(NDArray x, Clip clip) {
    NDArray in = asymmetricPadding ? x.pad(new Shape(0, 1, 0, 1), 0) : x;
    return conv.forward(in, clip);
  }
}
