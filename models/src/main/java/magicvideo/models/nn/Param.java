package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** One learnable tensor of a {@link Module}: its shape and initialiser are known before it exists. */
public final class Param {
  private final Shape shape;
  private final Init init;
  private NDArray array;

  Param(Shape shape, Init init) {
    this.shape = shape;
    this.init = init;
  }

  public Shape shape() {
    return shape;
  }

  public Init init() {
    return init;
  }

  public boolean isInitialized() {
    return array != null;
  }

  /** The tensor; fails if the module was neither initialised nor loaded. */
  public NDArray array() {
    if (array == null) {
      throw new IllegalStateException(
          "parameter of shape " + shape + " is not initialised: call initialize() or loadWeights()");
    }
    return array;
  }

  void set(NDArray value) {
    if (!value.getShape().equals(shape)) {
      throw new IllegalArgumentException("shape " + value.getShape() + " != expected " + shape);
    }
    if (array != null && array != value) {
      array.close();
    }
    array = value;
  }
}
