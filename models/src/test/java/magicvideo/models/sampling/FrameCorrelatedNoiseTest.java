package magicvideo.models.sampling;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.Test;

public class FrameCorrelatedNoiseTest {
  private static final int FRAMES = 6;
  private static final int VALUES = 4 * 32 * 32;

  @Test
  public void zeroCorrelationIsThePlainNoiseBitForBit() {
    List<SeededNoise> rows = List.of(SeededNoise.forSeed(3), SeededNoise.forSeed(4));
    Shape shape = new Shape(2, FRAMES, 4, 8, 8);
    try (NDManager m = NDManager.newBaseManager()) {
      assertArrayEquals(SeededNoise.gaussianBatch(m, shape, rows).toFloatArray(),
          FrameCorrelatedNoise.gaussianBatch(m, shape, rows, 0).toFloatArray(), 0f);
      assertArrayEquals(SeededNoise.forSeed(5).gaussian(m, shape).toFloatArray(),
          FrameCorrelatedNoise.gaussian(m, shape, SeededNoise.forSeed(5), 0).toFloatArray(), 0f);
    }
  }

  /** Every value stays standard normal; two frames of a clip correlate by rho, two clips not at all. */
  @Test
  public void framesOfAClipCorrelateByRhoAndEveryValueStaysStandardNormal() {
    for (double rho : new double[] {0.5, 0.9}) {
      try (NDManager m = NDManager.newBaseManager()) {
        float[] v = FrameCorrelatedNoise.gaussianBatch(m, new Shape(2, FRAMES, 4, 32, 32),
            List.of(SeededNoise.forSeed(11), SeededNoise.forSeed(12)), rho).toFloatArray();
        double sum = 0, squares = 0;
        for (float x : v) {
          sum += x;
          squares += x * x;
        }
        assertEquals("mean", 0, sum / v.length, 0.02);
        assertEquals("variance at rho " + rho, 1, squares / v.length, 0.03);
        for (int f = 1; f < FRAMES; f++) {
          assertEquals("frames 0 and " + f + " at rho " + rho, rho, correlation(v, 0, f * VALUES), 0.04);
        }
        assertEquals("clip 0 frame 0 vs clip 1 frame 0", 0, correlation(v, 0, FRAMES * VALUES), 0.04);
      }
    }
  }

  /** A video's noise is its own seed's, whatever else its batch holds (as for SeededNoise). */
  @Test
  public void aRowsNoiseDoesNotDependOnTheRestOfTheBatch() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray alone = FrameCorrelatedNoise.gaussianBatch(m, new Shape(1, FRAMES, 4, 8, 8),
          List.of(SeededNoise.forSeed(9)), 0.7);
      NDArray inBatch = FrameCorrelatedNoise.gaussianBatch(m, new Shape(2, FRAMES, 4, 8, 8),
          List.of(SeededNoise.forSeed(1), SeededNoise.forSeed(9)), 0.7);
      assertArrayEquals(alone.toFloatArray(), inBatch.get(1).toFloatArray(), 0f);
    }
  }

  @Test
  public void correlationsOutsideTheUnitIntervalAreRefused() {
    for (double bad : new double[] {-0.1, 1, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> FrameCorrelatedNoise.check(bad));
      assertTrue(e.getMessage(), e.getMessage().contains("correlation"));
    }
  }

  /** Pearson correlation of the VALUES values starting at a and at b. */
  private static double correlation(float[] v, int a, int b) {
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (int i = 0; i < VALUES; i++) {
      double x = v[a + i], y = v[b + i];
      sa += x;
      sb += y;
      saa += x * x;
      sbb += y * y;
      sab += x * y;
    }
    double n = VALUES;
    double cov = sab / n - sa / n * sb / n;
    return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
  }
}
