package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * DPM-Solver++ 2M (Lu et al., arXiv 2211.01095): the multistep second-order solver of the
 * diffusion ODE in its data-prediction form, as diffusers' {@code DPMSolverMultistepScheduler}
 * computes it with {@code algorithm_type="dpmsolver++"}, {@code solver_order=2},
 * {@code solver_type="midpoint"}, {@code lower_order_final=True} and
 * {@code final_sigmas_type="zero"}. Reaches DDIM-50 quality in about 20 steps.
 *
 * <p>In lambda = log(alpha / sigma), with h = lambda_next - lambda_now, the update from data
 * predictions D (the current one m0 and the previous step's m1, r0 = previous h / h) is
 *
 * <pre>
 *   x_next = (sigma_next / sigma_now) x + alpha_next (1 - e^-h) (m0 + (m0 - m1) / (2 r0))
 * </pre>
 *
 * <p>The first step has no m1 and takes the first-order (DDIM-equivalent) update, dropping the
 * {@code (m0 - m1)} term. So does the last step, which lands on sigma = 0 and returns the data
 * prediction: diffusers makes it first order whenever the final sigma is zero, which also covers
 * {@code lower_order_final} for fewer than 15 steps (for order 2 that flag changes nothing else).
 *
 * <p>Timesteps follow diffusers' DPM-Solver rules ({@link TimestepSpacing}): e.g. 20 leading
 * steps with steps_offset 1 are [941, 894, ..., 48], not DDIM's. Steps must be taken in order;
 * the sampler keeps m1 (one array the size of the sample) between steps.
 */
public final class DpmSolverPlusPlusSampler implements Sampler {
  private final NoiseSchedule schedule;
  private final PredictionType predictionType;
  private final TimestepSpacing spacing;
  private final int stepsOffset;

  private int[] timesteps;
  /** alpha, sigma and lambda at each timestep, plus the end point alpha = 1, sigma = 0. */
  private double[] alphas;
  private double[] sigmas;
  private double[] lambdas;
  private static final double ZERO_SNR_FLOOR = 0x1p-24;
  private int stepIndex;
  /** m1: the previous step's data prediction, owned (and closed) by this sampler. */
  private NDArray previousDenoised;

  public DpmSolverPlusPlusSampler(SchedulerConfig config) {
    this.schedule = new NoiseSchedule(config);
    this.predictionType = config.predictionType();
    this.spacing = config.timestepSpacing();
    this.stepsOffset = config.stepsOffset();
  }

  @Override
  public void setTimesteps(int steps) {
    timesteps = spacing.solverTimesteps(schedule.numTrainTimesteps(), steps, stepsOffset);
    alphas = new double[steps + 1];
    sigmas = new double[steps + 1];
    lambdas = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      // diffusers floors alphas_cumprod at 2^-24 (a zero-terminal-SNR schedule's last step) so that
      // lambda stays finite
      double a = i < steps ? Math.max(schedule.alphaCumprod(timesteps[i]), ZERO_SNR_FLOOR) : 1.0;
      alphas[i] = Math.sqrt(a);
      sigmas[i] = Math.sqrt(1 - a);
      // +infinity at the end point, where e^-h = 0
      lambdas[i] = StrictMath.log(alphas[i]) - StrictMath.log(sigmas[i]);
    }
    stepIndex = 0;
    keep(null);
  }

  @Override
  public int[] timesteps() {
    return requireTimesteps().clone();
  }

  @Override
  public NDArray step(NDArray modelOutput, int timestep, NDArray sample) {
    int steps = requireTimesteps().length;
    if (stepIndex >= steps) {
      throw new IllegalStateException("DPM-Solver++ has taken all " + steps
          + " steps; call setTimesteps(steps) to start a new generation");
    }
    if (timestep != timesteps[stepIndex]) {
      throw new IllegalArgumentException("DPM-Solver++ expected timestep " + timesteps[stepIndex]
          + " at step " + stepIndex + " of " + steps + ", got " + timestep
          + " (a multistep solver must take its timesteps in order)");
    }
    int now = stepIndex;
    NDArray denoised = predictionType.denoised(modelOutput, sample, alphas[now], sigmas[now]);
    boolean last = now == steps - 1;
    NDArray next = previousDenoised == null || last
        ? firstOrderUpdate(sample, denoised, now)
        : secondOrderUpdate(sample, denoised, previousDenoised, now);
    keep(last ? null : denoised);
    stepIndex++;
    return next;
  }

  private NDArray firstOrderUpdate(NDArray sample, NDArray m0, int now) {
    double h = lambdas[now + 1] - lambdas[now];
    return sample.mul(sigmas[now + 1] / sigmas[now]).add(m0.mul(dataWeight(now, h)));
  }

  private NDArray secondOrderUpdate(NDArray sample, NDArray m0, NDArray m1, int now) {
    double h = lambdas[now + 1] - lambdas[now];
    double r0 = (lambdas[now] - lambdas[now - 1]) / h;
    double weight = dataWeight(now, h);
    return sample.mul(sigmas[now + 1] / sigmas[now])
        .add(m0.mul(weight))
        .add(m0.sub(m1).mul(0.5 * weight / r0));
  }

  /** alpha_next (1 - e^-h), diffusers' {@code -alpha_t * (exp(-h) - 1)}. */
  private double dataWeight(int now, double h) {
    return -alphas[now + 1] * StrictMath.expm1(-h);
  }

  /** Replaces m1, closing the old one; the new one must outlive the caller's per-step scope. */
  private void keep(NDArray denoised) {
    if (previousDenoised != null) {
      previousDenoised.close();
    }
    previousDenoised = denoised;
    if (denoised != null) {
      NDScope.unregister(denoised);
    }
  }

  private int[] requireTimesteps() {
    if (timesteps == null) {
      throw new IllegalStateException("DPM-Solver++: call setTimesteps(steps) before stepping");
    }
    return timesteps;
  }
}
