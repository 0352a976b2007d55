package magicvideo.models.sampling;

import static org.junit.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.After;
import org.junit.Test;

/** The training target of each prediction type is what the samplers convert back. */
public class PredictionTypeTest {
  private final NDManager manager = NDManager.newBaseManager();

  @After
  public void close() {
    manager.close();
  }

  @Test
  public void aPerfectPredictionOfTheTargetGivesBackTheCleanSampleAndTheNoise() {
    NDArray clean = SeededNoise.forSeed(1).gaussian(manager, new Shape(3, 2, 4));
    NDArray noise = SeededNoise.forSeed(2).gaussian(manager, new Shape(3, 2, 4));
    // the last alpha is zero-terminal-SNR's pure noise, where only v and sample predictions work
    double[] alphas = {0.99, 0.6, 0.05, 0.0};
    for (PredictionType type : PredictionType.values()) {
      for (double alpha : alphas) {
        if (alpha == 0 && type == PredictionType.EPSILON) {
          continue;
        }
        double sigma = Math.sqrt(1 - alpha * alpha);
        NDArray noisy = clean.mul(alpha).add(noise.mul(sigma));
        NDArray target = type.target(clean, noise, manager.create((float) alpha), manager.create((float) sigma));
        String what = type + " at alpha " + alpha;
        assertEquals(what + " x0", 0f, type.denoised(target, noisy, alpha, sigma).sub(clean).abs().max().getFloat(),
            1e-5f);
        assertEquals(what + " eps", 0f, type.noise(target, noisy, alpha, sigma).sub(noise).abs().max().getFloat(),
            1e-5f);
      }
    }
  }

  @Test
  public void vIsAlphaEpsMinusSigmaX0() {
    NDArray clean = manager.create(new float[] {1f, -2f});
    NDArray noise = manager.create(new float[] {0.5f, 3f});
    NDArray v = PredictionType.V_PREDICTION.target(clean, noise, manager.create(0.6f), manager.create(0.8f));
    assertEquals(0.6f * 0.5f - 0.8f * 1f, v.getFloat(0), 1e-6f);
    assertEquals(0.6f * 3f + 0.8f * 2f, v.getFloat(1), 1e-6f);
  }
}
