package magicvideo.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import magicvideo.models.sampling.FrameCorrelatedNoise;
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
  private final double frameNoiseCorrelation;

  /** The plain objective: every clip's squared error weighs the same. */
  public DiffusionObjective(SchedulerConfig scheduler) {
    this(scheduler, 1f);
  }

  /** {@code highNoiseWeightCap} >= 1: the largest weight {@code min(1 / alphaBar, cap)} a clip gets. */
  public DiffusionObjective(SchedulerConfig scheduler, float highNoiseWeightCap) {
    this(scheduler, highNoiseWeightCap, 0);
  }

  /**
   * {@code frameNoiseCorrelation}: the clips are noised with {@link FrameCorrelatedNoise} of this
   * correlation (0: independent frames), as the network will be sampled.
   */
  public DiffusionObjective(SchedulerConfig scheduler, float highNoiseWeightCap, double frameNoiseCorrelation) {
    FrameCorrelatedNoise.check(frameNoiseCorrelation);
    this.frameNoiseCorrelation = frameNoiseCorrelation;
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
    Noised n = noise(m, clean, extra, noise, random);
    NDArray error = unet.forward(n.input, m.create(n.timesteps), cond).sub(n.target).square();
    if (highNoiseWeightCap == 1f) {
      return error.mean();
    }
    return n.weighted(m, error);
  }

  /**
   * The loss plus a contrast against wrong captions: the same noisy clips are also denoised under
   * {@code wrong} (e.g. the caption with its direction word changed), and each clip whose
   * {@code contrasted} flag is set adds {@code weight * max(0, (1 + margin) * e - e_wrong)}, where
   * {@code e} and {@code e_wrong} are its mean squared errors under the right and the wrong caption.
   * The plain loss does not care whether the network reads a word whose information the noisy clip
   * itself reveals at all but the highest noise levels (the direction of motion); this term
   * rewards a prediction that is better under the right word than under a wrong one.
   */
  public NDArray contrastiveLoss(NDManager m, VideoUNet unet, NDArray clean, Conditioning cond, Conditioning wrong,
      boolean[] contrasted, float weight, float margin, SeededNoise noise, SplittableRandom random) {
    Noised n = noise(m, clean, null, noise, random);
    int b = n.timesteps.length;
    float[] both = new float[2 * b];
    System.arraycopy(n.timesteps, 0, both, 0, b);
    System.arraycopy(n.timesteps, 0, both, b, b);
    Conditioning pair = new Conditioning(cond.context().concat(wrong.context(), 0),
        cond.fps() == null ? null : cond.fps().concat(wrong.fps(), 0), null);
    NDArray out = unet.forward(n.input.concat(n.input, 0), m.create(both), pair);
    NDArray right = out.get("0:" + b).sub(n.target).square();
    NDArray perClipWrong = out.get(b + ":").sub(n.target).square().reshape(b, -1).mean(new int[] {1});
    NDArray perClipRight = right.reshape(b, -1).mean(new int[] {1});
    float[] mask = new float[b];
    for (int i = 0; i < b; i++) {
      mask[i] = contrasted[i] ? weight / b : 0f;
    }
    NDArray hinge = perClipRight.mul(1 + margin).sub(perClipWrong).maximum(0f).mul(m.create(mask).duplicate()).sum();
    NDArray base = highNoiseWeightCap == 1f ? right.mean() : n.weighted(m, right);
    return base.add(hinge);
  }

  /** One batch noised: the network's input, its target, the timesteps and each clip's loss weight / B. */
  private record Noised(NDArray input, NDArray target, float[] timesteps, float[] weights) {
    /** Mean over (F, C, H, W) per clip, weighted; the weights already hold the 1 / B of the mean. */
    NDArray weighted(NDManager m, NDArray error) {
      // duplicate(): a copy libtorch owns, since autograd keeps the weights for the backward pass
      return error.reshape(weights.length, -1).mean(new int[] {1}).mul(m.create(weights).duplicate()).sum();
    }
  }

  private Noised noise(NDManager m, NDArray clean, NDArray extra, SeededNoise noise, SplittableRandom random) {
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
    NDArray eps = FrameCorrelatedNoise.gaussian(m, s, noise, frameNoiseCorrelation);
    NDArray noisy = clean.mul(a).add(eps.mul(sg));
    NDArray input = extra == null ? noisy : noisy.concat(extra, 2);
    NDArray target = prediction.target(clean, eps, a, sg);
    return new Noised(input, target, timesteps, weights);
  }
}
