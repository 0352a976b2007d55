package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * GroupNorm over (N, C, ...) as torch.nn.GroupNorm. DJL has no GroupNorm op: the groups are
 * normalised as one axis with mean/variance, then the per-channel affine is applied.
 */
public final class GroupNorm extends Module {
  private final int groups;
  private final float eps;
  private final Param weight;
  private final Param bias;

  public GroupNorm(int groups, int channels, float eps) {
    if (channels % groups != 0) {
      throw new IllegalArgumentException(channels + " channels are not divisible into " + groups + " groups");
    }
    this.groups = groups;
    this.eps = eps;
    this.weight = param("weight", new Shape(channels), Init.ones());
    this.bias = param("bias", new Shape(channels), Init.zeros());
  }

  public NDArray forward(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0), c = s.get(1);
    // (N, C, H, W) -> (N, G, C/G * H * W)
    NDArray g = x.reshape(n, groups, -1);
    NDArray mean = g.mean(new int[] {2}, true);
    NDArray centered = g.sub(mean);
    NDArray var = centered.square().mean(new int[] {2}, true);
    NDArray normed = centered.div(var.add(eps).sqrt()).reshape(n, c, -1);
    // The broadcast views of the affine join the parameters' manager, not the call's: closing them
    // here keeps a long-lived model from collecting two handles per call (autograd keeps its own).
    try (NDArray gamma = weight.array().reshape(1, c, 1); NDArray beta = bias.array().reshape(1, c, 1)) {
      return normed.mul(gamma).add(beta).reshape(s);
    }
  }
}
