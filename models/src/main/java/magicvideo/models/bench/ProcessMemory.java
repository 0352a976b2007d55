package magicvideo.models.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of this process as the memory test and the benchmarks report it. Native tensors live
 * outside the JVM heap, so only the resident set (Linux's /proc/self/status) and DJL's own count of
 * live arrays show a native leak; the heap is reported beside them.
 */
public final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcessMemory() {}

  /** Resident set size now (VmRSS), in bytes. */
  public static long residentBytes() {
    return statusKilobytes("VmRSS") * 1024;
  }

  /** Highest resident set size since the process started (VmHWM), in bytes. */
  public static long peakResidentBytes() {
    return statusKilobytes("VmHWM") * 1024;
  }

  /**
   * NDArrays open in any NDManager of the default engine. Every base manager hangs under the
   * engine's system manager, which DJL does not hand out: an empty probe manager leads to it, and
   * DJL walks the tree of sub-managers from there.
   */
  public static int liveArrays() {
    try (NDManager probe = NDManager.newBaseManager()) {
      return probe.getParentManager().getManagedArrays().size();
    }
  }

  /** Sum of the peak usage of the JVM's heap pools (eden, survivor, old) since start, in bytes. */
  public static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /**
   * Starts both peaks afresh, so a benchmark reports the peak of its measured part rather than of
   * its set-up. Writing 5 to /proc/self/clear_refs resets VmHWM (Linux 4.0+).
   */
  public static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    try {
      Files.writeString(CLEAR_REFS, "5");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reset the peak resident set through " + CLEAR_REFS, e);
    }
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
      throw new UncheckedIOException("cannot read " + STATUS + " (process memory is measured on Linux only)", e);
    }
    throw new IllegalStateException(STATUS + " has no " + field + " line");
  }
}
