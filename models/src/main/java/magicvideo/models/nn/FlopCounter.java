package magicvideo.models.nn;

import java.util.function.Supplier;

/**
 * Counts the multiply-add FLOPs (2 per MAC) of convolutions, linear layers and attention matmuls
 * while a forward pass runs on this thread, for benchmarks' GFLOP/s. Element-wise ops (norms,
 * activations) are not counted: they are a few percent of a U-Net's work.
 */
public final class FlopCounter {
  private static final ThreadLocal<long[]> ACTIVE = new ThreadLocal<>();

  private FlopCounter() {}

  static void add(long flops) {
    long[] c = ACTIVE.get();
    if (c != null) {
      c[0] += flops;
    }
  }

  /** Runs {@code work} and returns the FLOPs it spent in counted layers. */
  public static <T> Counted<T> count(Supplier<T> work) {
    long[] previous = ACTIVE.get();
    long[] c = new long[1];
    ACTIVE.set(c);
    try {
      T result = work.get();
      return new Counted<>(result, c[0]);
    } finally {
      ACTIVE.set(previous);
    }
  }

  public record Counted<T>(T result, long flops) {}
}
