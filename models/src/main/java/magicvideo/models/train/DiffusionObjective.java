package magicvideo.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import magicvideo.models.sampling.NoiseSchedule;
import magicvideo.models.sampling.PredictionType;
import magicvideo.models.sampling.SchedulerConfig;
import magicvideo.models.sampling.SeededNoise;
import magicvideo.models.unet.Conditioning;
import magicvideo.models.unet.VideoUNet;

/**
 * The denoising objective of DDPM: draw a timestep per clip, noise the clean sample to it with the
 * schedule the samplers use, and regress the network's output on the target of its prediction type
 * (the noise, or v) with mean squared error.
 */
public final class DiffusionObjective {
  private final double[] alphasCumprod;
  private final PredictionType prediction;

  public DiffusionObjective(SchedulerConfig scheduler) {
    this.alphasCumprod = new NoiseSchedule(scheduler).alphasCumprod();
    this.prediction = scheduler.predictionType();
  }

  /**
   * @param clean (B, F, C, H, W) the clean samples x0
   * @param extra (B, F, C', H, W) conditioning channels concatenated after the noisy sample, or null
   * @param noise the step's noise stream
   * @param random draws the timesteps
   * @return the scalar loss
   */
  public NDArray loss(NDManager m, VideoUNet unet, NDArray clean, NDArray extra, Conditioning cond,
      SeededNoise noise, SplittableRandom random) {
    Shape s = clean.getShape();
    int b = Math.toIntExact(s.get(0));
    float[] signal = new float[b];
    float[] sigma = new float[b];
    float[] timesteps = new float[b];
    for (int i = 0; i < b; i++) {
      int t = random.nextInt(alphasCumprod.length);
      timesteps[i] = t;
      signal[i] = (float) Math.sqrt(alphasCumprod[t]);
      sigma[i] = (float) Math.sqrt(1 - alphasCumprod[t]);
    }
    Shape perClip = new Shape(b, 1, 1, 1, 1);
    NDArray a = m.create(signal, perClip);
    NDArray sg = m.create(sigma, perClip);
    NDArray eps = noise.gaussian(m, s);
    NDArray noisy = clean.mul(a).add(eps.mul(sg));
    NDArray input = extra == null ? noisy : noisy.concat(extra, 2);
    NDArray output = unet.forward(input, m.create(timesteps), cond);
    NDArray target = switch (prediction) {
      case EPSILON -> eps;
      case V_PREDICTION -> eps.mul(a).sub(clean.mul(sg));
      default -> throw new IllegalArgumentException("training supports epsilon and v prediction, not " + prediction);
    };
    return output.sub(target).square().mean();
  }
}
