package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;

/**
 * The network as a sampler sees it: noisy sample and training timestep in, prediction (noise, v
 * or clean sample, as the {@link SchedulerConfig} says) of the same shape out. Conditioning (text
 * embeddings, frame rate, guidance) is bound inside the implementation.
 *
 * <p>Return a new array on the manager of {@code sample}: a result created elsewhere (a
 * predictor's own manager) must be attached there, since samplers keep data derived from it
 * across steps.
 */
@FunctionalInterface
public interface Denoiser {
  NDArray denoise(NDArray sample, int timestep);
}
