package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * DDIM (Song, Meng and Ermon, arXiv 2010.02502, equations 12 and 16) as diffusers'
 * {@code DDIMScheduler} computes it, with sample clipping and dynamic thresholding left out (both
 * off by default there and unsuitable for latent diffusion).
 *
 * <p>With eta = 0 (the default) a step is deterministic. With eta > 0 each step adds fresh noise
 * scaled by eta times the DDPM posterior deviation (eta = 1 is DDPM-like ancestral sampling); that
 * noise comes from {@link SeededNoise}, one stream per batch row: row b at timestep t draws
 * {@code rowNoise.get(b).split(t)}, never global state.
 *
 * <p>Stateless between steps apart from the timesteps, so steps may be retried.
 */
public final class DdimSampler implements Sampler {
  private final NoiseSchedule schedule;
  private final PredictionType predictionType;
  private final TimestepSpacing spacing;
  private final int stepsOffset;
  /** alphas_cumprod "before" step 0, used by the last step. */
  private final double finalAlphaCumprod;
  private final double eta;
  private final List<SeededNoise> rowNoise;
  private final double frameCorrelation;
  private int[] timesteps;

  /** Deterministic DDIM (eta = 0). */
  public DdimSampler(SchedulerConfig config) {
    this(config, 0, List.of());
  }

  /**
   * @param eta amount of fresh noise per step, from 0 (deterministic) to 1 (DDPM-like)
   * @param rowNoise one generator per batch row, needed when eta > 0
   */
  public DdimSampler(SchedulerConfig config, double eta, List<SeededNoise> rowNoise) {
    this(config, eta, rowNoise, 0);
  }

  /**
   * @param frameCorrelation the correlation between frames of the per-step noise (the network's
   *     {@link FrameCorrelatedNoise} prior); 0 for independent frames
   */
  public DdimSampler(SchedulerConfig config, double eta, List<SeededNoise> rowNoise, double frameCorrelation) {
    FrameCorrelatedNoise.check(frameCorrelation);
    if (!(eta >= 0 && eta <= 1)) {
      throw new IllegalArgumentException("DDIM eta must be within [0, 1], got " + eta);
    }
    if (eta > 0 && rowNoise.isEmpty()) {
      throw new IllegalArgumentException(
          "DDIM eta " + eta + " > 0 needs a SeededNoise per batch row for its per-step noise");
    }
    this.schedule = new NoiseSchedule(config);
    this.predictionType = config.predictionType();
    this.spacing = config.timestepSpacing();
    this.stepsOffset = config.stepsOffset();
    this.finalAlphaCumprod = config.setAlphaToOne() ? 1.0 : schedule.alphaCumprod(0);
    this.eta = eta;
    this.rowNoise = List.copyOf(rowNoise);
    this.frameCorrelation = frameCorrelation;
  }

  @Override
  public void setTimesteps(int steps) {
    timesteps = spacing.timesteps(schedule.numTrainTimesteps(), steps, stepsOffset);
  }

  @Override
  public int[] timesteps() {
    return requireTimesteps().clone();
  }

  @Override
  public NDArray step(NDArray modelOutput, int timestep, NDArray sample) {
    // diffusers steps back a fixed T / steps, which for trailing or linspace spacing need not
    // land on the next listed timestep; kept so results match diffusers.
    int previous = timestep - schedule.numTrainTimesteps() / requireTimesteps().length;
    double a = schedule.alphaCumprod(timestep);
    double aPrevious = previous >= 0 ? schedule.alphaCumprod(previous) : finalAlphaCumprod;
    double alpha = Math.sqrt(a);
    double sigma = Math.sqrt(1 - a);
    // sigma_t(eta) of equation 16: eta times the std of the DDPM posterior q(x_prev | x_t, x0)
    double posteriorVariance = (1 - aPrevious) / (1 - a) * (1 - a / aPrevious);
    double noiseStd = eta * Math.sqrt(posteriorVariance);
    double directionScale = Math.sqrt(Math.max(0, 1 - aPrevious - noiseStd * noiseStd));

    NDArray x0 = predictionType.denoised(modelOutput, sample, alpha, sigma);
    NDArray eps = predictionType.noise(modelOutput, sample, alpha, sigma);
    NDArray previousSample = x0.mul(Math.sqrt(aPrevious)).add(eps.mul(directionScale));
    if (noiseStd > 0) {
      previousSample = previousSample.add(stepNoise(timestep, sample).mul(noiseStd));
    }
    return previousSample;
  }

  private NDArray stepNoise(int timestep, NDArray sample) {
    List<SeededNoise> streams = rowNoise.stream().map(n -> n.split(timestep)).toList();
    return FrameCorrelatedNoise.gaussianBatch(sample.getManager(), sample.getShape(), streams, frameCorrelation)
        .toType(sample.getDataType(), false);
  }

  private int[] requireTimesteps() {
    if (timesteps == null) {
      throw new IllegalStateException("DDIM: call setTimesteps(steps) before stepping");
    }
    return timesteps;
  }
}
