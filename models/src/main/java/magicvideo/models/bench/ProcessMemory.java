package magicvideo.models.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Memory of this process as the memory test and the benchmarks report it (Linux: /proc/self).
 * Native tensors live outside the JVM heap, so only the resident set outside the heap and DJL's
 * own count of live arrays show a native leak; the heap is reported beside them.
 */
public final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
  private static final Path SMAPS = Path.of("/proc/self/smaps");
  /** The header line of a mapping in smaps: "7f2c1c000000-7f2c1c021000 rw-p 00000000 00:00 0 ...". */
  private static final Pattern MAPPING = Pattern.compile("([0-9a-f]+)-[0-9a-f]+ ");
  private static final Pattern HEX_ADDRESS = Pattern.compile("0x([0-9a-f]{8,16})");

  private ProcessMemory() {}

  /** Resident set size now (VmRSS), in bytes. */
  public static long residentBytes() {
    return statusKilobytes("VmRSS") * 1024;
  }

  /**
   * Resident bytes outside the Java heap: libtorch's tensors and allocator, the JVM's own native
   * memory (metaspace, code, thread stacks). The heap's part of the resident set grows on its own
   * for a while (measured: +160 MB over the first ~60 tiny-model generations, until the young
   * generation's pages have all been touched once), which would hide or fake a native leak.
   */
  public static long nativeResidentBytes() {
    long[] heap = heapAddressRange();
    long outside = 0;
    boolean inHeap = false;
    try {
      for (String line : Files.readAllLines(SMAPS)) {
        Matcher mapping = MAPPING.matcher(line);
        if (mapping.lookingAt()) {
          long start = Long.parseUnsignedLong(mapping.group(1), 16);
          inHeap = start >= heap[0] && start < heap[1];
        } else if (line.startsWith("Rss:") && !inHeap) {
          outside += Long.parseLong(line.substring(4).replace("kB", "").trim()) * 1024;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SMAPS + " (process memory is measured on Linux only)", e);
    }
    return outside;
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

  /** Heap left after each pool's latest collection, in bytes: close to the live data. */
  public static long heapAfterGcBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        sum += pool.getCollectionUsage().getUsed();
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

  /**
   * [first, end) of the address range the JVM reserved for its heap. No API hands it out; the
   * gcHeapInfo diagnostic command (jcmd GC.heap_info) prints it, in a layout that differs by
   * collector, but always as bracketed addresses that all lie inside the reservation.
   */
  private static long[] heapAddressRange() {
    String info;
    try {
      info = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcHeapInfo",
          new Object[] {null}, new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("cannot ask the JVM where its heap is (gcHeapInfo)", e);
    }
    long first = Long.MAX_VALUE;
    long end = 0;
    Matcher address = HEX_ADDRESS.matcher(info);
    while (address.find()) {
      long a = Long.parseUnsignedLong(address.group(1), 16);
      first = Math.min(first, a);
      end = Math.max(end, a);
    }
    if (end == 0) {
      throw new IllegalStateException("no heap addresses in the JVM's heap info: " + info);
    }
    return new long[] {first, end};
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
