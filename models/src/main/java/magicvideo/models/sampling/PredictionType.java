package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * What the denoising network predicts (diffusers' {@code prediction_type}). With the noisy sample
 * x_t = alpha * x0 + sigma * eps, where alpha = sqrt(alphas_cumprod[t]) and sigma = sqrt(1 -
 * alphas_cumprod[t]), each type converts to the clean-data estimate x0 and the noise estimate eps
 * that the samplers step with.
 */
public enum PredictionType {
  /** The network predicts the added noise eps (Stable Diffusion 1.x, MagicVideo). */
  EPSILON("epsilon") {
    @Override
    NDArray denoised(NDArray output, NDArray sample, double alpha, double sigma) {
      return sample.sub(output.mul(sigma)).div(alpha);
    }

    @Override
    NDArray noise(NDArray output, NDArray sample, double alpha, double sigma) {
      return output;
    }
  },
  /**
   * The network predicts v = alpha * eps - sigma * x0 (Salimans and Ho; Stable Diffusion 2.x 768,
   * Imagen Video).
   */
  V_PREDICTION("v_prediction", "v") {
    @Override
    NDArray denoised(NDArray output, NDArray sample, double alpha, double sigma) {
      return sample.mul(alpha).sub(output.mul(sigma));
    }

    @Override
    NDArray noise(NDArray output, NDArray sample, double alpha, double sigma) {
      return sample.mul(sigma).add(output.mul(alpha));
    }
  },
  /** The network predicts the clean sample x0 directly. */
  SAMPLE("sample") {
    @Override
    NDArray denoised(NDArray output, NDArray sample, double alpha, double sigma) {
      // A copy, because samplers keep the data prediction past the life of the model output.
      return output.duplicate();
    }

    @Override
    NDArray noise(NDArray output, NDArray sample, double alpha, double sigma) {
      return sample.sub(output.mul(alpha)).div(sigma);
    }
  };

  private final List<String> names;

  PredictionType(String... names) {
    this.names = List.of(names);
  }

  /** The clean-data estimate x0, always a new array. */
  abstract NDArray denoised(NDArray output, NDArray sample, double alpha, double sigma);

  /** The noise estimate eps; for {@link #EPSILON} this is {@code output} itself. */
  abstract NDArray noise(NDArray output, NDArray sample, double alpha, double sigma);

  /**
   * What the network is trained to output for the noisy sample {@code alpha * clean + sigma *
   * noise}: eps, v = alpha * eps - sigma * x0, or x0. {@code alpha} and {@code sigma} broadcast
   * against the samples (per-sample arrays of shape (B, 1, ...) or scalars).
   */
  public NDArray target(NDArray clean, NDArray noise, NDArray alpha, NDArray sigma) {
    return switch (this) {
      case EPSILON -> noise;
      case V_PREDICTION -> noise.mul(alpha).sub(clean.mul(sigma));
      case SAMPLE -> clean;
    };
  }

  /** The diffusers name, as written to JSON. */
  @JsonValue
  public String configName() {
    return names.get(0);
  }

  /** Accepts the diffusers name or "v" for v_prediction, case-insensitively. */
  @JsonCreator
  public static PredictionType fromName(String name) {
    return ConfigNames.parse("prediction_type", name, values(), p -> p.names);
  }
}
