package magicvideo.models.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Gaussian noise that depends only on a 64-bit seed: drawn on the CPU by a generator specified
 * here, so one seed gives bit-identical noise on CPU and GPU, on every machine and JVM, and
 * whatever else a batch holds. Immutable; every call starts from the seed.
 *
 * <p>The generator contract (changing any of it changes every video generated from a seed):
 *
 * <ol>
 *   <li>SplitMix64 (Steele, Lea and Flood 2014): draw i (from 0) is {@code mix64(seed + (i + 1) *
 *       0x9E3779B97F4A7C15)} in wrapping 64-bit arithmetic, where {@code mix64(z)} is {@code z ^=
 *       z >>> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >>> 27; z *= 0x94D049BB133111EB; z ^= z >>> 31}.
 *   <li>Uniform: {@code u = ((draw >>> 11) + 1) * 2^-53}, a double in (0, 1] (never 0, so the
 *       logarithm below is finite).
 *   <li>Box-Muller on draws 2k and 2k + 1: {@code r = sqrt(-2 ln u[2k])}, {@code theta = 2 pi
 *       u[2k+1]}; value 2k is {@code r cos theta} and value 2k + 1 is {@code r sin theta}, each
 *       rounded to float. For an odd count the last sine is dropped, so shorter requests are
 *       prefixes of longer ones. ln, cos and sin are {@link StrictMath}'s (fdlibm), identical on
 *       every JVM.
 *   <li>Arrays are filled in row-major order; {@link #split(long)} derives the seed {@code
 *       mix64(seed ^ mix64(streamId + 0x9E3779B97F4A7C15))}.
 * </ol>
 */
public final class SeededNoise {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final double UNIT = 0x1.0p-53;

  private final long seed;

  private SeededNoise(long seed) {
    this.seed = seed;
  }

  public static SeededNoise forSeed(long seed) {
    return new SeededNoise(seed);
  }

  public long seed() {
    return seed;
  }

  /**
   * An independent stream derived from this seed and {@code streamId}, e.g. DDIM's eta noise at
   * timestep t is {@code split(t)} of the video's seed, so it too is reproducible per step.
   */
  public SeededNoise split(long streamId) {
    return new SeededNoise(mix64(seed ^ mix64(streamId + GOLDEN_GAMMA)));
  }

  /** {@code count} standard normal values (see the class comment for the exact generator). */
  public float[] gaussian(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("SeededNoise count must be >= 0, got " + count);
    }
    float[] values = new float[count];
    fill(values, 0, count);
    return values;
  }

  /** Standard normal float32 noise of {@code shape} on {@code manager}'s device. */
  public NDArray gaussian(NDManager manager, Shape shape) {
    return manager.create(gaussian(elementCount(shape)), shape);
  }

  /**
   * A batch whose row b (index b of axis 0) is {@code rows.get(b).gaussian(...)}: each video keeps
   * its own seed's noise whichever batch it lands in.
   */
  public static NDArray gaussianBatch(NDManager manager, Shape shape, List<SeededNoise> rows) {
    if (shape.dimension() == 0 || shape.get(0) != rows.size()) {
      throw new IllegalArgumentException(
          "SeededNoise batch of shape " + shape + " needs one seed per row of axis 0, got "
              + rows.size() + " seeds");
    }
    int total = elementCount(shape);
    int perRow = rows.isEmpty() ? 0 : total / rows.size();
    float[] values = new float[total];
    for (int b = 0; b < rows.size(); b++) {
      rows.get(b).fill(values, b * perRow, perRow);
    }
    return manager.create(values, shape);
  }

  private void fill(float[] out, int offset, int count) {
    for (long i = 0; i < count; i += 2) {
      double r = StrictMath.sqrt(-2 * StrictMath.log(uniform(i)));
      double theta = 2 * Math.PI * uniform(i + 1);
      out[offset + (int) i] = (float) (r * StrictMath.cos(theta));
      if (i + 1 < count) {
        out[offset + (int) i + 1] = (float) (r * StrictMath.sin(theta));
      }
    }
  }

  /** Uniform draw i in (0, 1]. */
  private double uniform(long i) {
    long draw = mix64(seed + (i + 1) * GOLDEN_GAMMA);
    return ((draw >>> 11) + 1) * UNIT;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int elementCount(Shape shape) {
    long size = shape.size();
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "SeededNoise shape " + shape + " has " + size
              + " elements, more than a Java array holds");
    }
    return (int) size;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeededNoise other && other.seed == seed;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seed);
  }

  @Override
  public String toString() {
    return "SeededNoise[seed=" + seed + "]";
  }
}
