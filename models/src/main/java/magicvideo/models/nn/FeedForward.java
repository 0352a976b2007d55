package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** The transformer MLP with a GEGLU input ({@code net.0.proj}, {@code net.2}), as diffusers. */
public final class FeedForward extends Module {
  private final Linear proj;
  private final Linear out;

  public FeedForward(int dim, int mult) {
    int inner = dim * mult;
    this.proj = child("net.0.proj", new Linear(dim, inner * 2, true));
    this.out = child("net.2", new Linear(inner, dim, true));
  }

  public NDArray forward(NDArray x) {
    NDArray h = proj.forward(x);
    NDList halves = h.split(2, h.getShape().dimension() - 1);
    return out.forward(halves.get(0).mul(Ops.gelu(halves.get(1))));
  }
}
