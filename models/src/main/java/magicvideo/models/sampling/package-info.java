/**
 * Noise schedules and samplers of the MagicVideo generator, in diffusers' terms and numbers,
 * written with DJL NDArray ops so they run wherever the sample lives (CPU or GPU). Nothing here
 * knows the networks: a network is a {@link magicvideo.models.sampling.Denoiser}.
 *
 * <pre>{@code
 * SchedulerConfig config = SchedulerConfig.stableDiffusion();
 * Sampler sampler = SamplerKind.fromName("dpmpp-2m").create(config);
 * sampler.setTimesteps(20);
 * ClassifierFreeGuidance cfg = new ClassifierFreeGuidance(9.0);
 * NDArray context = cfg.batchConditioning(emptyPromptEmbedding, promptEmbedding);
 * Denoiser denoiser = cfg.guide((x, t) -> unet.predictNoise(x, t, context));
 * NDArray noise = SeededNoise.forSeed(seed).gaussian(manager, new Shape(1, 16, 4, 32, 32));
 * NDArray latents = Sampling.run(sampler, denoiser, noise);
 * }</pre>
 *
 * <p>Schedule coefficients are computed in double on the CPU; sample arithmetic is float32 on the
 * sample's device.
 */
package magicvideo.models.sampling;
