package magicvideo.models.vae;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import magicvideo.models.nn.Init;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class DiagonalGaussianTest {
  private NDManager manager;

  @Before
  public void setUp() {
    manager = NDManager.newBaseManager();
  }

  @After
  public void tearDown() {
    manager.close();
  }

  private NDArray standardNormal(long seed, Shape shape) {
    float[] v = new float[Math.toIntExact(shape.size())];
    Init.normal(1).fill(v, new SplittableRandom(seed));
    return manager.create(v, shape);
  }

  @Test
  public void modeIsTheMean() {
    NDArray mean = standardNormal(1, new Shape(2, 3, 4));
    DiagonalGaussian g = new DiagonalGaussian(mean, standardNormal(2, new Shape(2, 3, 4)));
    assertSame(mean, g.mode());
  }

  @Test
  public void samplesHaveTheMeanAndStandardDeviation() {
    Shape shape = new Shape(1, 200_000);
    // mean 1.5, variance 4
    DiagonalGaussian g = new DiagonalGaussian(
        manager.full(shape, 1.5f), manager.full(shape, (float) Math.log(4)));
    NDArray x = g.sample(standardNormal(3, shape));
    float mean = x.mean().getFloat();
    float std = (float) Math.sqrt(x.sub(mean).square().mean().getFloat());
    assertEquals(1.5f, mean, 0.02f);
    assertEquals(2f, std, 0.02f);
  }

  @Test
  public void klOfTheStandardNormalIsZeroAndGrowsWithTheMean() {
    Shape shape = new Shape(2, 3, 4, 5);
    NDArray zeros = manager.zeros(shape);
    assertArrayEquals(new float[] {0f, 0f}, new DiagonalGaussian(zeros, zeros).kl().toFloatArray(), 0f);
    // mean 1, variance 1: 0.5 * (1 + 1 - 1 - 0) = 0.5 per element, 60 elements per batch row
    NDArray kl = new DiagonalGaussian(manager.ones(shape), zeros).kl();
    assertEquals(new Shape(2), kl.getShape());
    assertArrayEquals(new float[] {30f, 30f}, kl.toFloatArray(), 1e-4f);
  }

  @Test
  public void logVarianceIsClampedAsDiffusers() {
    NDArray mean = manager.zeros(new Shape(1, 2));
    DiagonalGaussian g = new DiagonalGaussian(mean, manager.create(new float[] {50f, -100f}, new Shape(1, 2)));
    assertArrayEquals(new float[] {20f, -30f}, g.logvar().toFloatArray(), 0f);
  }

  @Test
  public void rejectsMismatchedShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DiagonalGaussian(manager.zeros(new Shape(1, 4)), manager.zeros(new Shape(1, 3))));
    assertEquals("mean (1, 4) and logvar (1, 3) must have the same shape", e.getMessage());
    DiagonalGaussian g = new DiagonalGaussian(manager.zeros(new Shape(1, 4)), manager.zeros(new Shape(1, 4)));
    assertThrows(IllegalArgumentException.class, () -> g.sample(manager.zeros(new Shape(4))));
  }
}
