package magicvideo.pipeline.bench;

import magicvideo.models.bench.ProcessMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the resident set and the heap left after collection at a fixed interval while a job
 * runs, so the report can show whether memory levels off (bounded) or keeps growing with the
 * number of videos done. The peaks come from {@link ProcessMemory}; the samples show the shape.
 */
final class MemorySampler implements AutoCloseable {
  /** One reading, {@code seconds} after the sampler started. */
  record Sample(double seconds, long residentBytes, long heapAfterGcBytes) {}

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "memory-sampler");
    t.setDaemon(true);
    return t;
  });
  private final List<Sample> samples = new ArrayList<>();
  private final long start = System.nanoTime();

  private MemorySampler() {}

  static MemorySampler every(long millis) {
    MemorySampler sampler = new MemorySampler();
    sampler.timer.scheduleAtFixedRate(sampler::sample, 0, millis, TimeUnit.MILLISECONDS);
    return sampler;
  }

  private synchronized void sample() {
    samples.add(new Sample((System.nanoTime() - start) / 1e9, ProcessMemory.residentBytes(),
        ProcessMemory.heapAfterGcBytes()));
  }

  /** The sample nearest to {@code fraction} (0..1) of the time sampled so far. */
  synchronized Sample at(double fraction) {
    if (samples.isEmpty()) {
      throw new IllegalStateException("no memory sample taken yet");
    }
    return samples.get((int) Math.round(fraction * (samples.size() - 1)));
  }

  /** The highest heap-after-collection reading of any sample. */
  synchronized long maxHeapAfterGcBytes() {
    return samples.stream().mapToLong(Sample::heapAfterGcBytes).max().orElse(0);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sample(); // the state at the end, after the job's last step
  }
}
