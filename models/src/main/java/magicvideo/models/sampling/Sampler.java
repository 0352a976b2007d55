package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;

/**
 * A diffusion sampler in diffusers' scheduler shape: choose the number of steps, then walk the
 * timesteps calling {@link #step} with the denoiser's output (see {@link Sampling#run} for the
 * loop). Both samplers here are variance-preserving: the initial sample is plain N(0, I) noise and
 * the model input needs no scaling, so diffusers' {@code init_noise_sigma} (1) and
 * {@code scale_model_input} (identity) have no counterpart.
 *
 * <p>A sampler is a per-generation object: not thread-safe, and multistep samplers carry state
 * between steps. {@link #setTimesteps} starts a new generation and clears that state.
 *
 * <p>Memory: {@link #step} returns a new array on the manager of {@code sample} (as long as the
 * model output lives there too, see {@link Denoiser}). Arrays a sampler keeps for a later step are
 * unregistered from the current {@link ai.djl.ndarray.NDScope} and closed by the sampler itself
 * once no longer needed, so a per-step NDScope frees everything else.
 */
public interface Sampler {

  /**
   * Chooses {@code steps} inference timesteps and starts a new generation.
   *
   * @throws IllegalArgumentException if steps < 1 or more than the training timesteps
   */
  void setTimesteps(int steps);

  /**
   * The inference timesteps in the order they are denoised (descending), a copy.
   *
   * @throws IllegalStateException before {@link #setTimesteps}
   */
  int[] timesteps();

  /**
   * One denoising step: from {@code sample} at {@code timestep} and the model's prediction for it,
   * the sample at the next (less noisy) timestep; after the last timestep, the final sample.
   *
   * @param modelOutput the denoiser's prediction, of the type in the {@link SchedulerConfig}
   * @param timestep the current entry of {@link #timesteps()}
   * @param sample the current noisy sample, float32, any shape (batch first)
   */
  NDArray step(NDArray modelOutput, int timestep, NDArray sample);
}
