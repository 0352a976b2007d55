package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/** The sampling loop, in one place. */
public final class Sampling {

  private Sampling() {}

  /**
   * Denoises {@code initialNoise} (x_T, standard normal, e.g. from {@link SeededNoise}) over the
   * sampler's timesteps:
   *
   * <pre>
   *   x = x_T
   *   for t in sampler.timesteps():  x = sampler.step(denoiser.denoise(x, t), t, x)
   * </pre>
   *
   * <p>Each step runs in its own {@link NDScope}, so the model output and every intermediate are
   * freed at once and only x (plus a multistep sampler's history) survives; the previous x is
   * closed as soon as the next exists. The caller keeps ownership of {@code initialNoise}; the
   * result is a new array on its manager.
   *
   * @param sampler a sampler whose {@link Sampler#setTimesteps} was called for this generation
   */
  public static NDArray run(Sampler sampler, Denoiser denoiser, NDArray initialNoise) {
    NDArray x = initialNoise;
    for (int t : sampler.timesteps()) {
      NDArray next;
      try (NDScope step = new NDScope()) {
        next = sampler.step(denoiser.denoise(x, t), t, x);
        NDScope.unregister(next);
      }
      if (x != initialNoise) {
        x.close();
      }
      x = next;
    }
    return x;
  }
}
