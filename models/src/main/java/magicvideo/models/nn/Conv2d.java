package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A 2D convolution (names {@code weight}, {@code bias} as torch) applied to every frame with the
 * same weights, optionally followed by a {@link FrameAdaptor} ({@code adaptor.scale/shift}).
 */
public final class Conv2d extends Module {
  private final Param weight;
  private final Param bias;
  private final Shape stride;
  private final Shape padding;
  private final FrameAdaptor adaptor;

  public Conv2d(int in, int out, int kernel, int stride, int padding, int adaptorFrames) {
    long fanIn = (long) in * kernel * kernel;
    this.weight = param("weight", new Shape(out, in, kernel, kernel), Init.fanIn(fanIn));
    this.bias = param("bias", new Shape(out), Init.fanIn(fanIn));
    this.stride = new Shape(stride, stride);
    this.padding = new Shape(padding, padding);
    this.adaptor = adaptorFrames > 0 ? child("adaptor", new FrameAdaptor(adaptorFrames, out)) : null;
  }

  /** A 3x3, stride-1, same-padding convolution. */
  public static Conv2d k3(int in, int out, int adaptorFrames) {
    return new Conv2d(in, out, 3, 1, 1, adaptorFrames);
  }

  /** A 1x1 convolution. */
  public static Conv2d k1(int in, int out, int adaptorFrames) {
    return new Conv2d(in, out, 1, 1, 0, adaptorFrames);
  }

  public NDArray forward(NDArray x, Clip clip) {
    NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(
        x, weight.array(), bias.array(), stride, padding, new Shape(1, 1), 1).singletonOrThrow();
    Shape ws = weight.shape();
    FlopCounter.add(2L * y.getShape().size() * ws.get(1) * ws.get(2) * ws.get(3));
    return adaptor == null ? y : adaptor.forward(y, clip);
  }
}
