package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the last axis (token layouts), as torch.nn.LayerNorm(dim). */
public final class LayerNorm extends Module {
  private final int dim;
  private final float eps;
  private final Param weight;
  private final Param bias;

  public LayerNorm(int dim, float eps) {
    this.dim = dim;
    this.eps = eps;
    this.weight = param("weight", new Shape(dim), Init.ones());
    this.bias = param("bias", new Shape(dim), Init.zeros());
  }

  public NDArray forward(NDArray x) {
    return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(dim), weight.array(), bias.array(), eps)
        .singletonOrThrow();
  }
}
