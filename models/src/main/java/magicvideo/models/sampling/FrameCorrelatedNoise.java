package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A video noise prior whose frames are correlated ("mixed noise", Ge et al. 2023, "Preserve Your
 * Own Correlation"): frame f of a clip is {@code sqrt(1 - rho) * own_f + sqrt(rho) * shared}, with
 * {@code own_f} and {@code shared} independent standard normal, so every value is still standard
 * normal and any two frames of a clip correlate by {@code rho}. With independent noise the frames
 * of a clip start at unrelated random layouts, and which way a shape moves is as much the noise's
 * choice as the prompt's; with shared noise the frames start alike and the network must take the
 * motion from the text. A network is trained and sampled with the same {@code rho} (its {@code
 * DenoiserConfig}); {@code rho = 0} is the plain independent noise, bit for bit.
 *
 * <p>Shapes are (B, F, ...): the shared part of row b is drawn from {@code split(SHARED_STREAM)}
 * of that row's stream, with shape (1, ...).
 */
public final class FrameCorrelatedNoise {
  /** The stream id, under a row's noise stream, of the part all frames share. */
  public static final long SHARED_STREAM = 0x5AA5EDL;

  private FrameCorrelatedNoise() {}

  /** Rejects a correlation outside [0, 1). */
  public static void check(double rho) {
    if (!(rho >= 0 && rho < 1)) {
      throw new IllegalArgumentException("frame noise correlation must be within [0, 1) (0: independent frames), got "
          + rho);
    }
  }

  /** Noise of {@code shape} (B, F, ...) whose row b comes from {@code rows.get(b)}, frames correlated by {@code rho}. */
  public static NDArray gaussianBatch(NDManager manager, Shape shape, List<SeededNoise> rows, double rho) {
    NDArray own = SeededNoise.gaussianBatch(manager, shape, rows);
    if (rho == 0) {
      return own;
    }
    List<SeededNoise> shared = rows.stream().map(r -> r.split(SHARED_STREAM)).toList();
    return mix(own, SeededNoise.gaussianBatch(manager, sharedShape(shape), shared), rho);
  }

  /** Noise of {@code shape} (B, F, ...) all from {@code stream} (training batches), frames correlated by {@code rho}. */
  public static NDArray gaussian(NDManager manager, Shape shape, SeededNoise stream, double rho) {
    NDArray own = stream.gaussian(manager, shape);
    if (rho == 0) {
      return own;
    }
    return mix(own, stream.split(SHARED_STREAM).gaussian(manager, sharedShape(shape)), rho);
  }

  private static NDArray mix(NDArray own, NDArray shared, double rho) {
    check(rho);
    return own.mul((float) Math.sqrt(1 - rho)).add(shared.mul((float) Math.sqrt(rho)));
  }

  /** (B, F, ...) -> (B, 1, ...). */
  private static Shape sharedShape(Shape shape) {
    if (shape.dimension() < 3) {
      throw new IllegalArgumentException("frame-correlated noise needs a (batch, frames, ...) shape, got " + shape);
    }
    long[] dims = shape.getShape();
    dims[1] = 1;
    return new Shape(dims);
  }
}
