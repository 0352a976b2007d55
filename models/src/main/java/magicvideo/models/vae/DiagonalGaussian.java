package magicvideo.models.vae;

import ai.djl.ndarray.NDArray;
import java.util.stream.IntStream;
import magicvideo.models.nn.Ops;

/**
 * The encoder's posterior over latents: independent normals per element, as diffusers'
 * DiagonalGaussianDistribution. The log-variance is clamped to [-30, 20] as there, so a
 * saturated encoder output cannot produce inf or 0 standard deviations.
 */
public final class DiagonalGaussian {
  private final NDArray mean;
  private final NDArray logvar;

  /** mean and logvar of the same shape, batch first; logvar is clamped. */
  public DiagonalGaussian(NDArray mean, NDArray logvar) {
    if (!mean.getShape().equals(logvar.getShape())) {
      throw new IllegalArgumentException(
          "mean " + mean.getShape() + " and logvar " + logvar.getShape() + " must have the same shape");
    }
    this.mean = mean;
    this.logvar = logvar.clip(-30f, 20f);
  }

  public NDArray mean() {
    return mean;
  }

  /** The clamped log-variance. */
  public NDArray logvar() {
    return logvar;
  }

  public NDArray std() {
    return Ops.scale(logvar, 0.5f).exp();
  }

  /** The most likely latents (= the mean): deterministic encoding. */
  public NDArray mode() {
    return mean;
  }

  /** mean + std * noise, with {@code noise} standard normal of the same shape (seeded by the caller). */
  public NDArray sample(NDArray noise) {
    if (!noise.getShape().equals(mean.getShape())) {
      throw new IllegalArgumentException(
          "noise has shape " + noise.getShape() + ", the posterior " + mean.getShape());
    }
    return mean.add(std().mul(noise));
  }

  /**
   * KL divergence to the standard normal, summed over every axis but the first:
   * 0.5 * sum(mean^2 + var - 1 - logvar), shape (B).
   */
  public NDArray kl() {
    int[] axes = IntStream.range(1, mean.getShape().dimension()).toArray();
    return Ops.scale(mean.square().add(logvar.exp()).sub(1f).sub(logvar).sum(axes), 0.5f);
  }
}
