package magicvideo.models.io;

import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header: its element type, shape and byte range
 * {@code [begin, end)} relative to the start of the data buffer (after the header).
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long begin, long end) {

  public TensorInfo {
    shape = shape.clone();
  }

  /** The shape, a copy. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long elementCount() {
    return Tensor.elementCount(name, shape);
  }

  public long byteLength() {
    return end - begin;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype
        && Arrays.equals(t.shape, shape) && t.begin == begin && t.end == end;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Long.hashCode(begin);
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
  }
}
