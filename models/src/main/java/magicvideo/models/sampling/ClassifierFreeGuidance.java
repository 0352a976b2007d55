package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Classifier-free guidance (Ho and Salimans, arXiv 2207.12598): the prediction is pushed away from
 * the unconditional one, {@code uncond + scale * (cond - uncond)}.
 *
 * <p>Batch order, as in diffusers' pipelines: the model runs on a doubled batch whose first half is
 * unconditional (empty or negative prompt) and second half conditional, so along axis 0 it sees
 * {@code [uncond_0 .. uncond_{B-1}, cond_0 .. cond_{B-1}]}. At scale 1 the formula is the
 * conditional prediction alone, so the caller skips the unconditional half and the model sees just
 * the B conditional rows ({@link #needsUnconditional}); every method here follows that rule.
 */
public final class ClassifierFreeGuidance {
  private final double scale;

  /**
   * @param scale guidance scale, >= 0: 0 is unconditional, 1 conditional without guidance, and
   *     MagicVideo-style text-to-video typically uses 7.5 to 9
   */
  public ClassifierFreeGuidance(double scale) {
    this.scale = checkScale(scale);
  }

  public double scale() {
    return scale;
  }

  /** Whether guidance at {@code scale} needs the unconditional half (any scale but 1). */
  public static boolean needsUnconditional(double scale) {
    return checkScale(scale) != 1.0;
  }

  public boolean needsUnconditional() {
    return scale != 1.0;
  }

  /** The conditioning batch: {@code [unconditional; conditional]}, or the conditional alone. */
  public NDArray batchConditioning(NDArray unconditional, NDArray conditional) {
    return needsUnconditional() ? unconditional.concat(conditional, 0) : conditional;
  }

  /**
   * Guided prediction from the model's output on the doubled batch (B rows from 2B), or that
   * output unchanged at scale 1.
   */
  public NDArray combine(NDArray prediction) {
    if (!needsUnconditional()) {
      return prediction;
    }
    long rows = prediction.getShape().dimension() == 0 ? 0 : prediction.getShape().get(0);
    if (rows == 0 || rows % 2 != 0) {
      throw new IllegalArgumentException(
          "Guidance scale " + scale + " needs a prediction batch [unconditional; conditional]"
              + " with an even, non-zero number of rows on axis 0, got shape "
              + prediction.getShape());
    }
    NDList halves = prediction.split(2, 0);
    NDArray unconditional = halves.get(0);
    return unconditional.add(halves.get(1).sub(unconditional).mul(scale));
  }

  /**
   * A denoiser of B samples that runs {@code batchedModel} on {@code [x; x]} (or on x alone at
   * scale 1) and combines the halves; {@code batchedModel} binds the conditioning made by
   * {@link #batchConditioning}.
   */
  public Denoiser guide(Denoiser batchedModel) {
    return (sample, timestep) -> {
      NDArray input = needsUnconditional() ? sample.concat(sample, 0) : sample;
      return combine(batchedModel.denoise(input, timestep));
    };
  }

  private static double checkScale(double scale) {
    if (!(scale >= 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException(
          "Guidance scale must be a finite number >= 0, got " + scale);
    }
    return scale;
  }
}
