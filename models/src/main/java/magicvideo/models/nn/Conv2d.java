package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A 2D convolution (names {@code weight}, {@code bias} as torch) applied to every frame with the
 * same weights, optionally followed by a {@link FrameAdaptor} ({@code adaptor.scale/shift}).
 *
 * <p>On the CPU, channel counts are zero-padded to a multiple of {@link #CPU_CHANNEL_BLOCK} where
 * oneDNN would otherwise pad them itself. libtorch 2.7.1's oneDNN 3.7.1 reads the padding of its
 * blocked layouts (aBcd16b on AVX-512) uninitialised: a 3x3 convolution with 17-47 (not 32) input
 * channels, or the backward pass of one with 3, 4 or 8 output channels, returned NaN whenever the
 * freed heap it reused held a NaN or an infinity (measured on an AVX-512 AMD EPYC: 9-21 of 100
 * forward passes and 54-60 of 60 backward passes after a NaN-filled allocation; 0 with the
 * padding). Padding with real zeros gives the same sums without reading the garbage. The inference
 * pass pads input channels only (its output padding is dropped unread); a pass recording gradients
 * pads output channels too.
 */
public final class Conv2d extends Module {
  /** oneDNN's channel block on AVX-512 (8 on AVX2, which 16 covers). */
  static final int CPU_CHANNEL_BLOCK = 16;

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
    NDArray w = weight.array();
    NDArray b = bias.array();
    Shape ws = weight.shape();
    long out = ws.get(0), in = ws.get(1);
    long padIn = 0, padOut = 0;
    if (!x.getDevice().isGpu()) {
      padIn = in > CPU_CHANNEL_BLOCK ? blockPadding(in) : 0;
      // inside a GradientCollector (NDArray.hasGradient() is false for intermediates in DJL 0.36)
      padOut = JniUtils.isGradMode() ? blockPadding(out) : 0;
    }
    NDManager m = x.getManager();
    if (padIn > 0) {
      Shape xs = x.getShape();
      x = x.concat(m.zeros(new Shape(xs.get(0), padIn, xs.get(2), xs.get(3)), x.getDataType()), 1);
      w = w.concat(m.zeros(new Shape(out, padIn, ws.get(2), ws.get(3)), w.getDataType()), 1);
    }
    if (padOut > 0) {
      w = w.concat(m.zeros(new Shape(padOut, in + padIn, ws.get(2), ws.get(3)), w.getDataType()), 0);
      b = b.concat(m.zeros(new Shape(padOut), b.getDataType()), 0);
    }
    NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, stride, padding, new Shape(1, 1), 1)
        .singletonOrThrow();
    if (padOut > 0) {
      y = y.get(new NDIndex(":, 0:{}", out));
    }
    FlopCounter.add(2L * y.getShape().size() * in * ws.get(2) * ws.get(3));
    return adaptor == null ? y : adaptor.forward(y, clip);
  }

  /** Channels added to {@code channels} to reach the next multiple of {@link #CPU_CHANNEL_BLOCK}. */
  static long blockPadding(long channels) {
    return (CPU_CHANNEL_BLOCK - channels % CPU_CHANNEL_BLOCK) % CPU_CHANNEL_BLOCK;
  }
}
