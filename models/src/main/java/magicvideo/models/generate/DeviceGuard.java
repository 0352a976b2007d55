package magicvideo.models.generate;

import ai.djl.Device;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Bounds how many forward passes run on one device at once. A worker JVM runs many DoFn threads,
 * and several generators (one per stage) may share a GPU; without a bound they all allocate
 * activations together and run the GPU out of memory. Threads queue here instead. The bound is
 * per device and per JVM, default 1 (set with {@link #setPermits} before first use).
 */
public final class DeviceGuard {
  private static final Map<String, Semaphore> GUARDS = new ConcurrentHashMap<>();
  private static volatile int permits = 1;

  private DeviceGuard() {}

  /** Forward passes allowed at once on each device of this JVM. */
  public static void setPermits(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("forward passes per device must be >= 1, got " + n);
    }
    permits = n;
  }

  /** Waits for a slot on {@code device}; close the returned permit to give it back. */
  public static Permit acquire(Device device) {
    Semaphore s = GUARDS.computeIfAbsent(device.toString(), d -> new Semaphore(permits, true));
    s.acquireUninterruptibly();
    return s::release;
  }

  /** A held slot. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }
}
