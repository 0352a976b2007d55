package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * Linear(SiLU(Linear(sinusoid(v)))): the embedding of a scalar condition. Used for the diffusion
 * timestep, MagicVideo's frame rate, and the super-resolution noise-augmentation level; the last
 * two start at zero output so adding them leaves a pretrained network unchanged.
 */
public final class TimestepEmbedding extends Module {
  private final int sinusoidDim;
  private final Linear linear1;
  private final Linear linear2;

  public TimestepEmbedding(int sinusoidDim, int embedDim, boolean zeroOutput) {
    this.sinusoidDim = sinusoidDim;
    this.linear1 = child("linear_1", new Linear(sinusoidDim, embedDim, true));
    this.linear2 = child("linear_2", zeroOutput
        ? new Linear(embedDim, embedDim, true, Init.zeros())
        : new Linear(embedDim, embedDim, true));
  }

  /** values: (N) -> (N, embedDim). */
  public NDArray forward(NDArray values) {
    // the sinusoid is computed in float32 and cast to the weights' type (float16 on GPU)
    NDArray emb = Ops.sinusoid(values, sinusoidDim).toType(linear1.weightType(), false);
    return linear2.forward(Ops.silu(linear1.forward(emb)));
  }
}
