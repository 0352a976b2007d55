package magicvideo.models.sampling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * How the inference timesteps are picked out of the training timesteps (diffusers'
 * {@code timestep_spacing}; table 2 of Lin et al., "Common Diffusion Noise Schedules and Sample
 * Steps are Flawed", arXiv 2305.08891). Timesteps come out in descending order, the order they are
 * denoised in. The formulas are diffusers' own, including numpy's round-half-to-even.
 */
public enum TimestepSpacing {
  /**
   * Multiples of {@code num_train_timesteps / steps} (integer division) plus
   * {@code steps_offset}: Stable Diffusion's DDIM, with steps_offset=1 giving [981, 961, ..., 1]
   * for 50 steps. Never starts at the noisiest training step.
   */
  LEADING("leading"),
  /**
   * Counted down from the last training step: {@code round(T - i * T / steps) - 1}, so 50 steps
   * give [999, 979, ..., 19]. Starts at the noisiest step (recommended by Lin et al.).
   */
  TRAILING("trailing"),
  /** {@code round(linspace(0, T - 1, steps))}, descending; diffusers' DPM-Solver default. */
  LINSPACE("linspace");

  private final String name;

  TimestepSpacing(String name) {
    this.name = name;
  }

  /**
   * diffusers {@code DDIMScheduler.set_timesteps}: {@code steps} timesteps.
   *
   * <p>For {@link #TRAILING} this yields exactly {@code steps} values, where diffusers' float
   * {@code np.arange} returns one extra timestep (-1) for some step counts (61, 103, ...).
   */
  int[] timesteps(int trainSteps, int steps, int stepsOffset) {
    checkStepCount(trainSteps, steps);
    return checked(spaced(trainSteps, steps, stepsOffset), trainSteps, steps);
  }

  /**
   * diffusers {@code DPMSolverMultistepScheduler.set_timesteps}: for leading and linspace it
   * spaces {@code steps + 1} points and drops the last one (t near 0), because its final step
   * lands on sigma = 0 rather than on a training timestep; trailing is the same as DDIM's.
   */
  int[] solverTimesteps(int trainSteps, int steps, int stepsOffset) {
    checkStepCount(trainSteps, steps);
    int[] t = this == TRAILING
        ? spaced(trainSteps, steps, stepsOffset)
        : Arrays.copyOf(spaced(trainSteps, steps + 1, stepsOffset), steps);
    return checked(t, trainSteps, steps);
  }

  private int[] spaced(int trainSteps, int count, int stepsOffset) {
    int[] t = new int[count];
    for (int i = 0; i < count; i++) {
      t[i] = switch (this) {
        case LEADING -> (count - 1 - i) * (trainSteps / count) + stepsOffset;
        case TRAILING -> trailing(trainSteps, count, i);
        case LINSPACE -> (int) Math.rint(linspace(trainSteps - 1, count, count - 1 - i));
      };
    }
    return t;
  }

  /** {@code np.arange(T, 0, -T / steps)[i]}: numpy fills arange with start + i * delta. */
  private static int trailing(int trainSteps, int steps, int i) {
    double delta = (trainSteps - (double) trainSteps / steps) - trainSteps;
    return (int) Math.rint(trainSteps + i * delta) - 1;
  }

  /** {@code np.linspace(0, stop, num)[i]}: i * (stop / (num - 1)), the last value exactly stop. */
  private static double linspace(double stop, int num, int i) {
    if (i == num - 1) {
      return num == 1 ? 0 : stop;
    }
    return i * (stop / (num - 1));
  }

  private static void checkStepCount(int trainSteps, int steps) {
    if (steps < 1 || steps > trainSteps) {
      throw new IllegalArgumentException(
          "Inference steps must be between 1 and num_train_timesteps (" + trainSteps + "), got "
              + steps);
    }
  }

  /** Fails when rounding or an offset made timesteps repeat or leave [0, T - 1]. */
  private int[] checked(int[] t, int trainSteps, int steps) {
    for (int i = 0; i < t.length; i++) {
      boolean inRange = t[i] >= 0 && t[i] < trainSteps;
      if (!inRange || (i > 0 && t[i] >= t[i - 1])) {
        throw new IllegalArgumentException(
            steps + " steps with timestep_spacing " + name + " over " + trainSteps
                + " training steps give timestep " + t[i] + " at index " + i
                + (i > 0 ? " after " + t[i - 1] : "")
                + "; timesteps must be distinct, descending and within [0, " + (trainSteps - 1)
                + "]");
      }
    }
    return t;
  }

  /** The diffusers name, as written to JSON. */
  @JsonValue
  public String configName() {
    return name;
  }

  /** Accepts the diffusers name, case-insensitively. */
  @JsonCreator
  public static TimestepSpacing fromName(String name) {
    return ConfigNames.parse("timestep_spacing", name, values(), s -> List.of(s.name));
  }
}
