package magicvideo.models.sampling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** How the training betas grow from step 0 to the last step (diffusers' {@code beta_schedule}). */
public enum BetaSchedule {
  /** Evenly spaced betas from beta_start to beta_end (DDPM). */
  LINEAR("linear"),
  /**
   * Evenly spaced square roots of beta, squared: Stable Diffusion's schedule (0.00085 to 0.012 over
   * 1000 steps), which latent diffusion models such as MagicVideo's are trained with.
   */
  SCALED_LINEAR("scaled_linear"),
  /**
   * Nichol and Dhariwal's cosine schedule (diffusers {@code squaredcos_cap_v2}): alpha_bar(t) =
   * cos^2(((t + 0.008) / 1.008) * pi / 2), betas capped at 0.999. Ignores beta_start/beta_end.
   */
  COSINE("squaredcos_cap_v2", "cosine");

  private final List<String> names;

  BetaSchedule(String... names) {
    this.names = List.of(names);
  }

  /** The diffusers name, as written to JSON. */
  @JsonValue
  public String configName() {
    return names.get(0);
  }

  /** Accepts the diffusers name or an alias ("cosine"), case-insensitively. */
  @JsonCreator
  public static BetaSchedule fromName(String name) {
    return ConfigNames.parse("beta_schedule", name, values(), s -> s.names);
  }
}
