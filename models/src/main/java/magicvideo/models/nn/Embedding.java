package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * A lookup table of learnable rows ({@code weight} [count, dim]), as torch.nn.Embedding. The
 * lookup is the engine's embedding op (torch.embedding under the PyTorch engine), so the gradient
 * reaches exactly the rows that were looked up.
 */
public final class Embedding extends Module {
  private final int count;
  private final Param weight;

  public Embedding(int count, int dim, Init init) {
    this.count = count;
    this.weight = param("weight", new Shape(count, dim), init);
  }

  /**
   * @param indices integer array of any shape, every value in [0, count)
   * @return the rows, shape indices.shape + (dim), on the manager of {@code indices}
   */
  public NDArray forward(NDArray indices) {
    if (!indices.getDataType().isInteger()) {
      throw new IllegalArgumentException("embedding indices must be integers, got " + indices.getDataType());
    }
    // torch reports an out-of-range index only as "index out of range in self"
    long min = indices.min().toType(DataType.INT64, false).getLong();
    long max = indices.max().toType(DataType.INT64, false).getLong();
    if (min < 0 || max >= count) {
      throw new IllegalArgumentException(
          "embedding index out of range: table has " + count + " rows, got indices in [" + min + ", " + max + "]");
    }
    return ai.djl.nn.core.Embedding.embedding(indices, weight.array(), SparseFormat.DENSE).singletonOrThrow();
  }
}
