package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Test data whose exact denoiser is known in closed form: every element is x0 ~ N(mu, s^2),
 * independently. Noised at training step t, x_t = sqrt(a) x0 + sqrt(1 - a) eps with a =
 * alphas_cumprod[t] and eps ~ N(0, 1) independent of x0, so (x0, eps, x_t) are jointly Gaussian:
 *
 * <pre>
 *   E[x_t] = sqrt(a) mu,  Var(x_t) = a s^2 + 1 - a =: V,
 *   Cov(eps, x_t) = sqrt(1 - a),  Cov(x0, x_t) = sqrt(a) s^2.
 * </pre>
 *
 * For jointly Gaussian (Y, X), E[Y | X] = E[Y] + Cov(Y, X) / Var(X) * (X - E[X]). Hence the
 * optimal (minimum-MSE) predictions a perfectly trained network would output, with v = sqrt(a)
 * eps - sqrt(1 - a) x0:
 *
 * <pre>
 *   E[eps | x_t] = sqrt(1 - a) (x_t - sqrt(a) mu) / V
 *   E[x0  | x_t] = mu + sqrt(a) s^2 (x_t - sqrt(a) mu) / V
 *   E[v   | x_t] = sqrt(a) E[eps | x_t] - sqrt(1 - a) E[x0 | x_t]      by linearity of E
 *                = sqrt(a (1 - a)) (1 - s^2) (x_t - sqrt(a) mu) / V - sqrt(1 - a) mu
 * </pre>
 *
 * The probability-flow ODE driven by this exact denoiser maps the marginal at step t0, N(sqrt(a0)
 * mu, V0), onto the data N(mu, s^2) by the affine map {@link #idealFlow}; samplers approximate it.
 */
final class GaussianData {
  final double mu;
  final double s;
  private final NoiseSchedule schedule;

  GaussianData(double mu, double s, SchedulerConfig config) {
    this.mu = mu;
    this.s = s;
    this.schedule = new NoiseSchedule(config);
  }

  /** The exact denoiser for {@code type}. */
  Denoiser denoiser(PredictionType type) {
    return (x, t) -> {
      double a = schedule.alphaCumprod(t);
      double v = a * s * s + 1 - a;
      NDArray centered = x.sub(Math.sqrt(a) * mu);
      return switch (type) {
        case EPSILON -> centered.mul(Math.sqrt(1 - a) / v);
        case SAMPLE -> centered.mul(Math.sqrt(a) * s * s / v).add(mu);
        case V_PREDICTION -> centered.mul(Math.sqrt(a * (1 - a)) * (1 - s * s) / v)
            .sub(Math.sqrt(1 - a) * mu);
      };
    };
  }

  /**
   * Where the exact ODE takes x_t0 (per element): it standardises against the step-t0 marginal
   * and rescales to the data, x0 = mu + s (x_t0 - sqrt(a0) mu) / sqrt(V0). Starting samplers from
   * N(0, 1) rather than that marginal (Stable Diffusion's schedule never reaches pure noise) moves
   * the result by the same map, so comparing against this isolates the sampler's own error.
   */
  NDArray idealFlow(NDArray xT, int t0) {
    double a0 = schedule.alphaCumprod(t0);
    double v0 = a0 * s * s + 1 - a0;
    return xT.sub(Math.sqrt(a0) * mu).mul(s / Math.sqrt(v0)).add(mu);
  }

  static double mean(NDArray x) {
    return x.mean().getFloat();
  }

  static double std(NDArray x) {
    NDArray centered = x.sub(x.mean());
    return Math.sqrt(centered.mul(centered).mean().getFloat());
  }
}
