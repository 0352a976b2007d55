package magicvideo.pipeline.bench;

import java.lang.management.ManagementFactory;

/**
 * Wall-clock and process CPU seconds of a piece of work. CPU time counts every thread of this JVM
 * (libtorch's intra-op threads, Beam's and Flink's workers); on a machine shared with other work
 * it moves less than wall time, so the benchmarks report both.
 */
record Span(double wallSeconds, double cpuSeconds) {
  static final Span ZERO = new Span(0, 0);

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** A running clock; {@link Clock#stop} gives the span since {@link #start}. */
  static Clock start() {
    return new Clock(System.nanoTime(), OS.getProcessCpuTime());
  }

  Span plus(Span other) {
    return new Span(wallSeconds + other.wallSeconds, cpuSeconds + other.cpuSeconds);
  }

  record Clock(long wallNanos, long cpuNanos) {
    Span stop() {
      return new Span((System.nanoTime() - wallNanos) / 1e9, (OS.getProcessCpuTime() - cpuNanos) / 1e9);
    }
  }
}
