package magicvideo.models.sampling;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.After;
import org.junit.Test;

/** Determinism, misuse and memory behaviour of the samplers and the sampling loop. */
public class SamplerBehaviourTest {
  private static final SchedulerConfig SD = SchedulerConfig.stableDiffusion();
  private static final Shape SHAPE = new Shape(2, 4, 8, 8);

  private final NDManager manager = NDManager.newBaseManager();
  private final Denoiser exact = new GaussianData(0.5, 0.8, SD).denoiser(PredictionType.EPSILON);

  @After
  public void close() {
    manager.close();
  }

  @Test
  public void deterministicDdimIsBitIdentical() {
    assertArrayEquals(generate(new DdimSampler(SD), 50, 1), generate(new DdimSampler(SD), 50, 1),
        0f);
  }

  @Test
  public void stochasticDdimDependsOnlyOnItsSeeds() {
    float[] first = generate(ddimEta(0.5, 100, 200), 20, 1);
    assertArrayEquals(first, generate(ddimEta(0.5, 100, 200), 20, 1), 0f);
    float[] otherSecondRow = generate(ddimEta(0.5, 100, 201), 20, 1);
    assertFalse(Arrays.equals(first, otherSecondRow));
    // each row follows its own seed: row 0 is unchanged when only row 1's seed changes
    int row = (int) SHAPE.size() / 2;
    assertArrayEquals(Arrays.copyOf(first, row), Arrays.copyOf(otherSecondRow, row), 0f);
    assertFalse(Arrays.equals(first, generate(new DdimSampler(SD), 20, 1)));
  }

  @Test
  public void dpmSolver20StepsIsCloseToDdim50Steps() {
    float[] ddim = generate(new DdimSampler(SD), 50, 3);
    float[] dpm = generate(new DpmSolverPlusPlusSampler(SD), 20, 3);
    double meanAbsDiff = 0;
    for (int i = 0; i < ddim.length; i++) {
      meanAbsDiff += Math.abs(ddim[i] - dpm[i]) / ddim.length;
    }
    // the signal has std 0.8; measured 0.007, the gap between their discretisation errors
    assertTrue("mean |DPM-Solver++ 20 - DDIM 50| = " + meanAbsDiff, meanAbsDiff < 0.02);
  }

  @Test
  public void aSamplerRunsAgainAfterSetTimesteps() {
    Sampler dpm = new DpmSolverPlusPlusSampler(SD);
    float[] first = generate(dpm, 10, 4);
    assertArrayEquals(first, generate(dpm, 10, 4), 0f);
  }

  @Test
  public void theLoopKeepsOnlyTheResult() {
    for (Sampler sampler : List.of(new DdimSampler(SD), ddimEta(1, 1, 2),
        new DpmSolverPlusPlusSampler(SD))) {
      try (NDManager run = manager.newSubManager()) {
        NDArray noise = SeededNoise.forSeed(9).gaussian(run, SHAPE);
        List<NDArray> outputs = new ArrayList<>();
        Denoiser recording = (x, t) -> {
          NDArray output = exact.denoise(x, t);
          outputs.add(output);
          return output;
        };
        sampler.setTimesteps(8);
        NDArray result = Sampling.run(sampler, recording, noise);
        assertEquals(8, outputs.size());
        assertTrue(outputs.stream().allMatch(NDArray::isReleased));
        assertEquals(Set.of(noise, result), Set.copyOf(run.getManagedArrays()));
      }
    }
  }

  @Test
  public void misuseFailsClearly() {
    for (Sampler sampler : List.of(new DdimSampler(SD), new DpmSolverPlusPlusSampler(SD))) {
      IllegalStateException early =
          assertThrows(IllegalStateException.class, sampler::timesteps);
      assertTrue(early.getMessage(), early.getMessage().contains("call setTimesteps(steps)"));
      IllegalArgumentException zero =
          assertThrows(IllegalArgumentException.class, () -> sampler.setTimesteps(0));
      assertEquals("Inference steps must be between 1 and num_train_timesteps (1000), got 0",
          zero.getMessage());
    }
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> new DpmSolverPlusPlusSampler(SD).setTimesteps(1000));
    assertTrue(tooMany.getMessage(), tooMany.getMessage().contains("must be distinct"));

    Sampler dpm = new DpmSolverPlusPlusSampler(SD);
    dpm.setTimesteps(2);
    NDArray x = manager.zeros(new Shape(3));
    IllegalArgumentException order =
        assertThrows(IllegalArgumentException.class, () -> dpm.step(x, 1, x));
    assertEquals("DPM-Solver++ expected timestep 667 at step 0 of 2, got 1 (a multistep solver"
        + " must take its timesteps in order)", order.getMessage());
    dpm.step(x, 667, x);
    dpm.step(x, 334, x);
    IllegalStateException done = assertThrows(IllegalStateException.class, () -> dpm.step(x, 1, x));
    assertEquals("DPM-Solver++ has taken all 2 steps; call setTimesteps(steps) to start a new"
        + " generation", done.getMessage());

    assertThrows(IllegalArgumentException.class, () -> new DdimSampler(SD, 0.5, List.of()));
  }

  private float[] generate(Sampler sampler, int steps, long seed) {
    sampler.setTimesteps(steps);
    NDArray noise = SeededNoise.forSeed(seed).gaussian(manager, SHAPE);
    return Sampling.run(sampler, exact, noise).toFloatArray();
  }

  private static Sampler ddimEta(double eta, long seedRow0, long seedRow1) {
    return new DdimSampler(SD, eta,
        List.of(SeededNoise.forSeed(seedRow0), SeededNoise.forSeed(seedRow1)));
  }
}
