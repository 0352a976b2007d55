package magicvideo.models.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import magicvideo.models.nn.Init;
import magicvideo.models.nn.Module;
import magicvideo.models.nn.Ops;
import org.junit.Test;

public class TrainingLoopTest {
  /** One scalar weight, starting at 0. */
  private static final class Scalar extends Module {
    final NDArray w;

    Scalar(NDManager m) {
      var p = param("w", new Shape(1), Init.zeros());
      initialize(m, 0);
      w = p.array();
    }
  }

  /**
   * (w - 3)^2, except at the steps in {@code poisoned}, where the loss is sqrt(0 * w): finite (0),
   * with a NaN gradient (0 * 1/sqrt(0)), and at those in {@code infinite}, where it is log(0 * w):
   * as the sporadic bad steps look.
   */
  private static TrainingLoop.Objective objective(Scalar s, Set<Integer> poisoned, Set<Integer> infinite) {
    return (m, step) -> poisoned.contains(step) ? Ops.scale(s.w, 0f).sqrt().sum()
        : infinite.contains(step) ? Ops.scale(s.w, 0f).log().sum()
        : s.w.sub(3f).square().sum();
  }

  @Test
  public void aStepWithNonFiniteGradientsIsSkippedAndTrainingGoesOn() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (NDManager m = NDManager.newBaseManager();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
      Scalar s = new Scalar(m);
      TrainingLoop.Result r = new TrainingLoop("scalar", 300, 0.05f, out)
          .run(s.namedParameters(), m, objective(s, Set.of(5), Set.of(9)));
      assertEquals(2, r.skippedSteps());
      assertTrue(log.toString(), log.toString().contains("step      6 skipped: non-finite gradients in 1 parameters"));
      assertTrue(log.toString(), log.toString().contains("step     10 skipped: loss is -Infinity"));
      assertTrue(Float.isNaN(r.losses()[9]));
      assertTrue(Double.isFinite(r.meanFirst(20)));
      float w = s.w.getFloat();
      assertTrue("the other steps still train: w = " + w, Math.abs(w - 3) < 0.1);
      assertTrue(r.probeAfter() < r.probeBefore());
    }
  }

  @Test
  public void moreNonFiniteStepsThanTheAllowanceStopTheRun() {
    try (NDManager m = NDManager.newBaseManager();
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      Scalar s = new Scalar(m);
      TrainingLoop loop = new TrainingLoop("scalar", 100, 0.05f, out);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> loop.run(s.namedParameters(), m, objective(s, Set.of(10, 30, 50, 70), Set.of(20, 40))));
      assertTrue(e.getMessage(), e.getMessage().contains("6 steps skipped for a non-finite loss or gradients (at most 5"));
    }
  }
}
