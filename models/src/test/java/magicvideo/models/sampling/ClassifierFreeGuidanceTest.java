package magicvideo.models.sampling;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.After;
import org.junit.Test;

public class ClassifierFreeGuidanceTest {
  private final NDManager manager = NDManager.newBaseManager();

  @After
  public void close() {
    manager.close();
  }

  @Test
  public void combinesTheUnconditionalFirstHalfWithTheConditionalSecondHalf() {
    // rows: uncond_0, uncond_1, cond_0, cond_1
    NDArray prediction = manager.create(new float[] {1, 2, -1, 0, 3, 2, 1, 4}, new Shape(4, 2));
    NDArray guided = new ClassifierFreeGuidance(7.5).combine(prediction);
    // uncond + 7.5 (cond - uncond): 1 + 7.5 * 2, 2 + 0, -1 + 7.5 * 2, 0 + 7.5 * 4
    assertEquals(new Shape(2, 2), guided.getShape());
    assertArrayEquals(new float[] {16, 2, 14, 30}, guided.toFloatArray(), 1e-6f);
    // scale 0 is the unconditional prediction
    assertArrayEquals(new float[] {1, 2, -1, 0},
        new ClassifierFreeGuidance(0).combine(prediction).toFloatArray(), 0f);
  }

  @Test
  public void scaleOneIsTheConditionalPredictionAlone() {
    ClassifierFreeGuidance none = new ClassifierFreeGuidance(1.0);
    assertFalse(none.needsUnconditional());
    assertFalse(ClassifierFreeGuidance.needsUnconditional(1.0));
    assertTrue(ClassifierFreeGuidance.needsUnconditional(7.5));
    NDArray conditional = manager.create(new float[] {3, 2, 1, 4}, new Shape(2, 2));
    assertSame(conditional, none.combine(conditional));
    NDArray uncondEmbedding = manager.zeros(new Shape(2, 3));
    NDArray condEmbedding = manager.ones(new Shape(2, 3));
    assertSame(condEmbedding, none.batchConditioning(uncondEmbedding, condEmbedding));
  }

  @Test
  public void guideRunsTheModelOnTheDoubledBatchInThatOrder() {
    NDArray uncondEmbedding = manager.zeros(new Shape(1, 2));
    NDArray condEmbedding = manager.ones(new Shape(1, 2));
    ClassifierFreeGuidance cfg = new ClassifierFreeGuidance(3);
    NDArray context = cfg.batchConditioning(uncondEmbedding, condEmbedding);
    assertArrayEquals(new float[] {0, 0, 1, 1}, context.toFloatArray(), 0f);
    // a "model" that predicts its input plus its conditioning row
    Denoiser model = (x, t) -> x.add(context);
    NDArray sample = manager.create(new float[] {5, 6}, new Shape(1, 2));
    // uncond = x, cond = x + 1: x + 3 * 1
    assertArrayEquals(new float[] {8, 9}, cfg.guide(model).denoise(sample, 10).toFloatArray(), 0f);
  }

  @Test
  public void rejectsNegativeScalesAndOddBatches() {
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(-0.5));
    assertEquals("Guidance scale must be a finite number >= 0, got -0.5", negative.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ClassifierFreeGuidance.needsUnconditional(Double.NaN));
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> new ClassifierFreeGuidance(7.5).combine(manager.zeros(new Shape(3, 2))));
    assertTrue(odd.getMessage(), odd.getMessage().contains("shape (3, 2)"));
  }
}
