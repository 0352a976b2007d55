package magicvideo.models.sampling;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;

/**
 * The noise schedule and timestep settings a model was trained with, named and serialised (with
 * Jackson) as in diffusers' {@code scheduler_config.json}, so a run record can carry it and a
 * user recognises every field. Samplers are built from it with {@link SamplerKind#create}.
 *
 * @param numTrainTimesteps number of training diffusion steps T (1000 for Stable Diffusion)
 * @param betaStart beta at training step 0 (ignored by {@link BetaSchedule#COSINE})
 * @param betaEnd beta at training step T - 1 (ignored by {@link BetaSchedule#COSINE})
 * @param betaSchedule how betas grow between betaStart and betaEnd
 * @param predictionType what the network predicts
 * @param timestepSpacing how inference timesteps are chosen
 * @param stepsOffset added to {@link TimestepSpacing#LEADING} timesteps (1 for Stable Diffusion)
 * @param setAlphaToOne DDIM only: whether the step past the last timestep denoises to
 *     alphas_cumprod = 1 (true) or to alphas_cumprod[0] (false, as Stable Diffusion)
 * @param rescaleBetasZeroSnr whether the betas are rescaled to a zero terminal SNR (Lin et al.,
 *     "Common Diffusion Noise Schedules and Sample Steps are Flawed", algorithm 1): the last
 *     training timestep is pure noise, so a network cannot learn to read a layout that leaks
 *     through the noise at the top of the schedule and must take it from the prompt. Needs a
 *     v_prediction or sample network (an epsilon prediction carries no signal at zero SNR).
 */
@JsonPropertyOrder({
  "num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "prediction_type",
  "timestep_spacing", "steps_offset", "set_alpha_to_one", "rescale_betas_zero_snr"
})
public record SchedulerConfig(
    @JsonProperty("num_train_timesteps") int numTrainTimesteps,
    @JsonProperty("beta_start") double betaStart,
    @JsonProperty("beta_end") double betaEnd,
    @JsonProperty("beta_schedule") BetaSchedule betaSchedule,
    @JsonProperty("prediction_type") PredictionType predictionType,
    @JsonProperty("timestep_spacing") TimestepSpacing timestepSpacing,
    @JsonProperty("steps_offset") int stepsOffset,
    @JsonProperty("set_alpha_to_one") boolean setAlphaToOne,
    @JsonProperty("rescale_betas_zero_snr") boolean rescaleBetasZeroSnr)
    implements Serializable {

  public SchedulerConfig {
    if (numTrainTimesteps < 1) {
      throw new IllegalArgumentException(
          "SchedulerConfig num_train_timesteps must be >= 1, got " + numTrainTimesteps);
    }
    requireNonNull(betaSchedule, "beta_schedule");
    requireNonNull(predictionType, "prediction_type");
    requireNonNull(timestepSpacing, "timestep_spacing");
    if (!(betaStart >= 0 && betaStart <= betaEnd && betaEnd < 1)) {
      throw new IllegalArgumentException(
          "SchedulerConfig needs 0 <= beta_start <= beta_end < 1, got beta_start " + betaStart
              + ", beta_end " + betaEnd);
    }
    if (stepsOffset < 0) {
      throw new IllegalArgumentException(
          "SchedulerConfig steps_offset must be >= 0, got " + stepsOffset);
    }
    if (rescaleBetasZeroSnr && predictionType == PredictionType.EPSILON) {
      throw new IllegalArgumentException("SchedulerConfig rescale_betas_zero_snr needs prediction_type "
          + "v_prediction or sample: at zero terminal SNR the last timestep is pure noise, and a prediction of "
          + "that noise says nothing about the sample");
    }
  }

  /** Without the zero-terminal-SNR rescale, as diffusers' configs that do not name it. */
  public SchedulerConfig(int numTrainTimesteps, double betaStart, double betaEnd, BetaSchedule betaSchedule,
      PredictionType predictionType, TimestepSpacing timestepSpacing, int stepsOffset, boolean setAlphaToOne) {
    this(numTrainTimesteps, betaStart, betaEnd, betaSchedule, predictionType, timestepSpacing, stepsOffset,
        setAlphaToOne, false);
  }

  /**
   * Stable Diffusion 1.x's schedule, which MagicVideo inherits with SD's VAE and U-Net:
   * scaled_linear betas 0.00085 to 0.012 over 1000 steps, epsilon prediction, leading spacing
   * with steps_offset 1 and set_alpha_to_one false.
   */
  public static SchedulerConfig stableDiffusion() {
    return new SchedulerConfig(
        1000, 0.00085, 0.012, BetaSchedule.SCALED_LINEAR, PredictionType.EPSILON,
        TimestepSpacing.LEADING, 1, false);
  }

  public SchedulerConfig withPredictionType(PredictionType type) {
    return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, type,
        timestepSpacing, stepsOffset, setAlphaToOne, rescaleBetasZeroSnr);
  }

  public SchedulerConfig withTimestepSpacing(TimestepSpacing spacing) {
    return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule,
        predictionType, spacing, stepsOffset, setAlphaToOne, rescaleBetasZeroSnr);
  }

  /**
   * The same betas rescaled to zero terminal SNR, with v-prediction and trailing timesteps (so
   * sampling starts at the pure-noise timestep), the three changes Lin et al. make together.
   */
  public SchedulerConfig withZeroTerminalSnr() {
    return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule,
        PredictionType.V_PREDICTION, TimestepSpacing.TRAILING, stepsOffset, setAlphaToOne, true);
  }

  private static void requireNonNull(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("SchedulerConfig " + field + " is missing");
    }
  }
}
