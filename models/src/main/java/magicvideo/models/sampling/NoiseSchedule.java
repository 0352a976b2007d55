package magicvideo.models.sampling;

/**
 * The training noise schedule: betas, alphas = 1 - betas and their running product
 * alphas_cumprod, in double precision (diffusers keeps them in float32; double makes the
 * coefficients the same on every device). Training step t noises data as x_t = sqrt(ac[t]) * x0 +
 * sqrt(1 - ac[t]) * eps with ac = alphas_cumprod.
 *
 * <p>With {@link SchedulerConfig#rescaleBetasZeroSnr()} the betas are rescaled as diffusers'
 * {@code rescale_zero_terminal_snr}: sqrt(alphas_cumprod) is shifted so its last value is 0 and
 * scaled so its first is unchanged; alphas_cumprod of the last timestep is then exactly 0.
 *
 * <p>Transcendental functions go through {@link StrictMath} so every JVM computes identical
 * coefficients, which keeps a seed's result reproducible across machines.
 */
public final class NoiseSchedule {
  /** diffusers' betas_for_alpha_bar default: keeps the cosine schedule's last beta below 1. */
  private static final double MAX_COSINE_BETA = 0.999;

  private final double[] betas;
  private final double[] alphasCumprod;

  public NoiseSchedule(SchedulerConfig config) {
    int n = config.numTrainTimesteps();
    betas = switch (config.betaSchedule()) {
      case LINEAR -> linspace(config.betaStart(), config.betaEnd(), n);
      case SCALED_LINEAR -> squared(
          linspace(Math.sqrt(config.betaStart()), Math.sqrt(config.betaEnd()), n));
      case COSINE -> cosineBetas(n);
    };
    alphasCumprod = new double[n];
    double product = 1;
    for (int t = 0; t < n; t++) {
      product *= 1 - betas[t];
      alphasCumprod[t] = product;
    }
    if (config.rescaleBetasZeroSnr()) {
      rescaleToZeroTerminalSnr();
    }
  }

  /** Lin et al., algorithm 1; betas follow the new alphas_cumprod (the last beta is 1). */
  private void rescaleToZeroTerminalSnr() {
    int n = alphasCumprod.length;
    double first = Math.sqrt(alphasCumprod[0]);
    double last = Math.sqrt(alphasCumprod[n - 1]);
    for (int t = 0; t < n; t++) {
      double root = (Math.sqrt(alphasCumprod[t]) - last) * first / (first - last);
      alphasCumprod[t] = root * root;
    }
    for (int t = 0; t < n; t++) {
      betas[t] = 1 - (t == 0 ? alphasCumprod[0] : alphasCumprod[t] / alphasCumprod[t - 1]);
    }
  }

  public int numTrainTimesteps() {
    return betas.length;
  }

  /** A copy of the betas, index = training timestep. */
  public double[] betas() {
    return betas.clone();
  }

  /** A copy of alphas = 1 - betas. */
  public double[] alphas() {
    double[] alphas = new double[betas.length];
    for (int t = 0; t < betas.length; t++) {
      alphas[t] = 1 - betas[t];
    }
    return alphas;
  }

  /** A copy of alphas_cumprod, the signal fraction ac[t] of the noised sample at step t. */
  public double[] alphasCumprod() {
    return alphasCumprod.clone();
  }

  /** alphas_cumprod[t]; fails with the valid range when t is not a training timestep. */
  public double alphaCumprod(int t) {
    if (t < 0 || t >= alphasCumprod.length) {
      throw new IllegalArgumentException(
          "Timestep " + t + " is outside the training timesteps [0, " + (alphasCumprod.length - 1)
              + "]");
    }
    return alphasCumprod[t];
  }

  /** torch.linspace: n evenly spaced values, the last exactly {@code end}. */
  private static double[] linspace(double start, double end, int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = n == 1 ? start : start + (end - start) * i / (n - 1);
    }
    return values;
  }

  private static double[] squared(double[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] *= values[i];
    }
    return values;
  }

  /** diffusers betas_for_alpha_bar: betas that make alphas_cumprod follow alpha_bar(t / n). */
  private static double[] cosineBetas(int n) {
    double[] betas = new double[n];
    for (int i = 0; i < n; i++) {
      double ratio = cosineAlphaBar((i + 1.0) / n) / cosineAlphaBar((double) i / n);
      betas[i] = Math.min(1 - ratio, MAX_COSINE_BETA);
    }
    return betas;
  }

  private static double cosineAlphaBar(double t) {
    double c = StrictMath.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }
}
