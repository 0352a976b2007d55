package magicvideo.models.sampling;

import static org.junit.Assert.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.stream.IntStream;
import org.junit.After;
import org.junit.Test;

/**
 * Pins timesteps and whole trajectories to diffusers' DDIMScheduler and
 * DPMSolverMultistepScheduler. Timesteps are worked out by hand from diffusers' formulas (see
 * each comment). Trajectories were computed once by a float64 numpy transcription of those
 * schedulers' set_timesteps/step (diffusers 0.27 code, Stable Diffusion config) with the exact
 * denoiser of N(0.5, 0.3^2) data, from x_T = 1.0 and -0.5; float32 here agrees to about 1e-6.
 */
public class DiffusersReferenceTest {
  private static final SchedulerConfig SD = SchedulerConfig.stableDiffusion();
  private static final SchedulerConfig TRAILING = SD.withTimestepSpacing(TimestepSpacing.TRAILING);
  private static final SchedulerConfig LINSPACE = SD.withTimestepSpacing(TimestepSpacing.LINSPACE);
  private static final float[] START = {1.0f, -0.5f};
  private static final float TOLERANCE = 2e-5f;

  private final NDManager manager = NDManager.newBaseManager();

  @After
  public void close() {
    manager.close();
  }

  @Test
  public void ddimLeadingIsStableDiffusions() {
    // step ratio 1000 // 50 = 20; (49 - i) * 20 + steps_offset 1
    assertArrayEquals(descending(981, 20, 50), timesteps(new DdimSampler(SD), 50));
  }

  @Test
  public void ddimTrailingStartsAtTheLastTrainingStep() {
    // round(1000 - 20 i) - 1: starts at 999 and ends at 19, where leading ends at 1
    assertArrayEquals(descending(999, 20, 50),
        timesteps(new DdimSampler(TRAILING), 50));
    // ratio 62.5: 937.5 -> 938 but 812.5 -> 812 (numpy rounds half to even), minus 1
    assertArrayEquals(
        new int[] {999, 937, 874, 811, 749, 687, 624, 561, 499, 437, 374, 311, 249, 187, 124, 61},
        timesteps(new DdimSampler(TRAILING), 16));
  }

  @Test
  public void ddimLinspace() {
    // round(i * 999 / 19), descending; 52.578... -> 53, 946.42... -> 946
    assertArrayEquals(
        new int[] {999, 946, 894, 841, 789, 736, 684, 631, 578, 526, 473, 421, 368, 315, 263, 210,
            158, 105, 53, 0},
        timesteps(new DdimSampler(LINSPACE), 20));
  }

  @Test
  public void dpmSolverSpacesOneMorePointAndDropsTheLast() {
    // leading: ratio 1000 // 21 = 47; (20 - i) * 47 + 1 for i < 20
    assertArrayEquals(descending(941, 47, 20), timesteps(new DpmSolverPlusPlusSampler(SD), 20));
    // linspace: round(i * 999 / 20) for i = 20 .. 1; 10 * 49.95 = 499.5 -> 500 (half to even)
    assertArrayEquals(
        new int[] {999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250,
            200, 150, 100, 50},
        timesteps(new DpmSolverPlusPlusSampler(LINSPACE), 20));
    // trailing: the same as DDIM's
    assertArrayEquals(descending(999, 50, 20),
        timesteps(new DpmSolverPlusPlusSampler(TRAILING), 20));
  }

  @Test
  public void ddimTrajectories() {
    assertTrajectory(new float[] {0.76786005f, 0.34986815f}, new DdimSampler(SD), 50, SD);
    SchedulerConfig trailingV = TRAILING.withPredictionType(PredictionType.V_PREDICTION);
    assertTrajectory(new float[] {0.74690644f, 0.36312868f}, new DdimSampler(trailingV), 25,
        trailingV);
    // 30 linspace steps step back 1000 // 30 = 33 from 999, 965, ... (diffusers' rule)
    assertTrajectory(new float[] {0.76405080f, 0.34203579f}, new DdimSampler(LINSPACE), 30,
        LINSPACE);
  }

  @Test
  public void dpmSolverTrajectories() {
    assertTrajectory(new float[] {0.54644391f, 0.45201990f},
        new DpmSolverPlusPlusSampler(SD), 1, SD);
    assertTrajectory(new float[] {0.69146789f, 0.38620319f},
        new DpmSolverPlusPlusSampler(SD), 10, SD);
    assertTrajectory(new float[] {0.74766882f, 0.35960840f},
        new DpmSolverPlusPlusSampler(SD), 30, SD);
    assertTrajectory(new float[] {0.73162285f, 0.37191071f},
        new DpmSolverPlusPlusSampler(LINSPACE), 20, LINSPACE);
    SchedulerConfig trailingV = TRAILING.withPredictionType(PredictionType.V_PREDICTION);
    assertTrajectory(new float[] {0.73259407f, 0.37137362f},
        new DpmSolverPlusPlusSampler(trailingV), 20, trailingV);
  }

  private void assertTrajectory(float[] expected, Sampler sampler, int steps, SchedulerConfig c) {
    sampler.setTimesteps(steps);
    Denoiser exact = new GaussianData(0.5, 0.3, c).denoiser(c.predictionType());
    NDArray result = Sampling.run(sampler, exact, manager.create(START));
    assertArrayEquals(expected, result.toFloatArray(), TOLERANCE);
  }

  private static int[] timesteps(Sampler sampler, int steps) {
    sampler.setTimesteps(steps);
    return sampler.timesteps();
  }

  private static int[] descending(int first, int stride, int count) {
    return IntStream.range(0, count).map(i -> first - i * stride).toArray();
  }
}
