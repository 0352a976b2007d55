package magicvideo.models.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A named float32 tensor on the Java heap, C order. The data array is shared, not copied:
 * weights are large, and a reader hands each tensor's array to exactly one owner.
 */
public record Tensor(String name, long[] shape, float[] data) {

  public Tensor {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("tensor name must not be empty");
    }
    long elements = elementCount(name, shape);
    if (elements != data.length) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' has shape " + Arrays.toString(shape) + " (" + elements
              + " elements) but " + data.length + " values");
    }
    shape = shape.clone();
  }

  /** Copies {@code array} (any floating type) to the heap as float32. */
  public static Tensor of(String name, NDArray array) {
    NDArray floats =
        array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
    return new Tensor(name, array.getShape().getShape(), floats.toFloatArray());
  }

  /** The tensor as an NDArray owned by {@code manager}. */
  public NDArray toNDArray(NDManager manager) {
    return manager.create(data, new Shape(shape));
  }

  /** The shape, a copy. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /**
   * Product of the dimensions of {@code shape}, refusing negative dimensions and products that do
   * not fit a Java array.
   */
  static long elementCount(String name, long[] shape) {
    long elements = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' has a negative dimension in shape " + Arrays.toString(shape));
      }
      try {
        elements = Math.multiplyExact(elements, dim);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' shape " + Arrays.toString(shape) + " overflows a long", e);
      }
    }
    return elements;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && t.name.equals(name) && Arrays.equals(t.shape, shape)
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
  }
}
