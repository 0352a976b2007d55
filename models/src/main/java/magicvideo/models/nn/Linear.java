package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** y = x W^T + b over the last axis (names {@code weight} [out, in], {@code bias} [out]). */
public final class Linear extends Module {
  private final Param weight;
  private final Param bias;

  public Linear(int in, int out, boolean withBias) {
    this(in, out, withBias, Init.fanIn(in));
  }

  public Linear(int in, int out, boolean withBias, Init weightInit) {
    this(in, out, weightInit,
        withBias ? (weightInit instanceof Init.Constant ? weightInit : Init.fanIn(in)) : null);
  }

  /**
   * A layer whose bias starts its own way (CLIP and GPT-style transformers start biases at zero).
   *
   * @param biasInit initialiser of the bias, or null for a layer without bias
   */
  public Linear(int in, int out, Init weightInit, Init biasInit) {
    this.weight = param("weight", new Shape(out, in), weightInit);
    this.bias = biasInit == null ? null : param("bias", new Shape(out), biasInit);
  }

  /** Width of the output (torch's out_features). */
  public long outFeatures() {
    return weight.shape().get(0);
  }

  public ai.djl.ndarray.types.DataType weightType() {
    return weight.array().getDataType();
  }

  public NDArray forward(NDArray x) {
    FlopCounter.add(2L * x.getShape().size() * weight.shape().get(0));
    return bias == null
        ? ai.djl.nn.core.Linear.linear(x, weight.array()).singletonOrThrow()
        : ai.djl.nn.core.Linear.linear(x, weight.array(), bias.array()).singletonOrThrow();
  }
}
