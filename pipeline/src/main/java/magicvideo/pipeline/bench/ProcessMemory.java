package magicvideo.pipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * This JVM's memory as the memory benchmark reports it (Linux /proc/self). Tensors live in
 * libtorch's native memory, outside the Java heap, so the resident set is the number that bounds a
 * worker; the heap is reported beside it.
 */
final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcessMemory() {}

  /** Resident set size now (VmRSS), in bytes. */
  static long residentBytes() {
    return statusKilobytes("VmRSS") * 1024;
  }

  /** Highest resident set size since the start or the last {@link #resetPeaks} (VmHWM), in bytes. */
  static long peakResidentBytes() {
    return statusKilobytes("VmHWM") * 1024;
  }

  /**
   * The sum of the heap pools' (eden, survivor, old) peaks since the last {@link #resetPeaks}, in
   * bytes: garbage included, so with a large -Xmx it mostly shows how long the collector waits.
   */
  static long peakHeapUsedBytes() {
    return sumOverHeapPools(MemoryPoolMXBean::getPeakUsage);
  }

  /** Heap left after each pool's latest collection, in bytes: close to the live data. */
  static long heapAfterGcBytes() {
    return sumOverHeapPools(MemoryPoolMXBean::getCollectionUsage);
  }

  /**
   * Starts both peaks afresh, so that a benchmark reports the peak of its measured part rather
   * than of its set-up. Writing 5 to /proc/self/clear_refs resets VmHWM (Linux 4.0 and later).
   */
  static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    try {
      Files.writeString(CLEAR_REFS, "5");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reset the peak resident set through " + CLEAR_REFS, e);
    }
  }

  private static long sumOverHeapPools(Function<MemoryPoolMXBean, MemoryUsage> usage) {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage u = pool.getType() == MemoryType.HEAP ? usage.apply(pool) : null;
      if (u != null) {
        sum += u.getUsed();
      }
    }
    return sum;
  }

  private static long statusKilobytes(String field) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        // e.g. "VmRSS:	  812344 kB"
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + STATUS + " (memory is measured on Linux only)", e);
    }
    throw new IllegalStateException(STATUS + " has no " + field + " line");
  }
}
