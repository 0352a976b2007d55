package magicvideo.models.sampling;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class NoiseScheduleTest {
  private static SchedulerConfig withBetas(BetaSchedule schedule, double start, double end) {
    return new SchedulerConfig(1000, start, end, schedule, PredictionType.EPSILON,
        TimestepSpacing.LEADING, 1, false);
  }

  @Test
  public void scaledLinearIsStableDiffusions() {
    NoiseSchedule sd = new NoiseSchedule(SchedulerConfig.stableDiffusion());
    double[] ac = sd.alphasCumprod();
    assertEquals(1000, ac.length);
    assertEquals(0.99915, ac[0], 1e-12);
    assertEquals(0.0047, ac[999], 5e-5);
    // the double value; diffusers' float32 cumprod drifts to about 0.00468
    assertEquals(0.00466010, ac[999], 1e-8);
    double[] betas = sd.betas();
    assertEquals(0.012, betas[999], 1e-15);
    // evenly spaced square roots: the middle beta is ((sqrt(0.00085) + sqrt(0.012)) / 2)^2
    double mid = (Math.sqrt(0.00085) + Math.sqrt(0.012)) / 2;
    assertEquals(mid * mid, (betas[499] + betas[500]) / 2, 2e-8);
    assertEquals(1 - betas[10], sd.alphas()[10], 0);
  }

  /**
   * diffusers' rescale_zero_terminal_snr on SD's betas; the expected values are its numpy formula
   * in float64 (sqrt(ac) shifted by its last value and scaled to keep its first).
   */
  @Test
  public void zeroTerminalSnrRescalesStableDiffusionsSchedule() {
    SchedulerConfig config = SchedulerConfig.stableDiffusion().withZeroTerminalSnr();
    NoiseSchedule rescaled = new NoiseSchedule(config);
    double[] ac = rescaled.alphasCumprod();
    double[] sd = new NoiseSchedule(SchedulerConfig.stableDiffusion()).alphasCumprod();
    assertEquals(sd[0], ac[0], 1e-15);
    assertEquals(0.0, ac[999], 0);
    assertEquals(0.24101878275731575, ac[500], 1e-12);
    assertEquals(0.0029603934209004134, ac[900], 1e-14);
    assertEquals(1.9678880566212916e-07, ac[998], 1e-17);
    double[] betas = rescaled.betas();
    assertEquals(1.0, betas[999], 0);
    double product = 1;
    for (int t = 0; t < 1000; t++) {
      product *= 1 - betas[t];
      assertEquals("alphas_cumprod[" + t + "] is the product of the alphas", ac[t], product, 1e-12);
    }
  }

  @Test
  public void zeroTerminalSnrRefusesAnEpsilonPrediction() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SchedulerConfig.stableDiffusion().withZeroTerminalSnr().withPredictionType(PredictionType.EPSILON));
    assertEquals(true, e.getMessage().contains("rescale_betas_zero_snr needs prediction_type v_prediction"));
  }

  @Test
  public void linearBetasAreEvenlySpaced() {
    double[] betas = new NoiseSchedule(withBetas(BetaSchedule.LINEAR, 1e-4, 0.02)).betas();
    assertEquals(1e-4, betas[0], 0);
    assertEquals(0.02, betas[999], 1e-15);
    assertEquals(betas[1] - betas[0], betas[999] - betas[998], 1e-15);
    double[] ac = new NoiseSchedule(withBetas(BetaSchedule.LINEAR, 1e-4, 0.02)).alphasCumprod();
    assertEquals(4.0358e-5, ac[999], 1e-9);
  }

  @Test
  public void cosineFollowsItsAlphaBar() {
    // ignores beta_start/end; alphas_cumprod[t] = alpha_bar((t + 1) / T) / alpha_bar(0) until the
    // 0.999 cap bites at the very end
    NoiseSchedule cosine = new NoiseSchedule(withBetas(BetaSchedule.COSINE, 0.3, 0.5));
    double[] ac = cosine.alphasCumprod();
    assertEquals(alphaBar(0.5) / alphaBar(0), ac[499], 1e-12);
    assertEquals(0.49384359044, ac[499], 1e-10);
    assertEquals(0.999, cosine.betas()[999], 0);
    assertEquals(2.42876690703e-9, ac[999], 1e-19);
  }

  @Test
  public void timestepsOutsideTheScheduleFailClearly() {
    NoiseSchedule sd = new NoiseSchedule(SchedulerConfig.stableDiffusion());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sd.alphaCumprod(1000));
    assertEquals("Timestep 1000 is outside the training timesteps [0, 999]", e.getMessage());
  }

  private static double alphaBar(double t) {
    double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }
}
