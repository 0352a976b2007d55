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
 *
 * <p>With an epsilon target, the loss barely sees what the network decides at high noise: an error
 * {@code e} in the clean sample it implies costs only {@code SNR * e^2}, and at the top timesteps
 * SNR is ~0.005. Layout is decided there (where the shape is in each frame, hence which way it
 * moves), so the loss of each clip can be weighted by {@code min(1 / alphaBar, cap)}: up to
 * {@code cap} times more weight where the noise dominates, the v-prediction loss's weighting
 * ({@code 1 / alphaBar = 1 + 1 / SNR}) truncated so that the gradient stays bounded. A cap of 1 is the
 * plain mean squared error.
 */
public final class DiffusionObjective {
  private final double[] alphasCumprod;
  private final PredictionType prediction;
  private final float highNoiseWeightCap;

  /** The plain objective: every clip's squared error weighs the same. */
  public DiffusionObjective(SchedulerConfig scheduler) {
    this(scheduler, 1f);
  }

  /** {@code highNoiseWeightCap} >= 1: the largest weight {@code min(1 / alphaBar, cap)} a clip gets. */
  public DiffusionObjective(SchedulerConfig scheduler, float highNoiseWeightCap) {
    if (!(highNoiseWeightCap >= 1f)) {
      throw new IllegalArgumentException("the high-noise weight cap must be >= 1 (1: unweighted), got "
          + highNoiseWeightCap);
    }
    this.alphasCumprod = new NoiseSchedule(scheduler).alphasCumprod();
    this.prediction = scheduler.predictionType();
    this.highNoiseWeightCap = highNoiseWeightCap;
  }

  /** The weight of a clip noised to timestep {@code t}. */
  public double weight(int t) {
    return Math.min(1 / alphasCumprod[t], highNoiseWeightCap);
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
    float[] weights = new float[b];
    for (int i = 0; i < b; i++) {
      int t = random.nextInt(alphasCumprod.length);
      timesteps[i] = t;
      weights[i] = (float) (weight(t) / b);
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
    NDArray error = output.sub(target).square();
    if (highNoiseWeightCap == 1f) {
      return error.mean();
    }
    // per clip: mean over (F, C, H, W), weighted; the weights already hold the 1 / B of the mean.
    // duplicate(): a copy libtorch owns, since autograd keeps the weights for the backward pass
    return error.reshape(b, -1).mean(new int[] {1}).mul(m.create(weights).duplicate()).sum();
  }
}
