package magicvideo.pipeline;

import java.util.Map;
import java.util.TreeMap;
import magicvideo.transforms.outputs.VideoMetrics;
import magicvideo.transforms.prompts.PromptMetrics;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The counters of a job that say how far it got: rows ({@link PromptMetrics}) and videos ({@link
 * VideoMetrics}), keyed {@code namespace/name} (e.g. {@code prompts/rows_read}), as run.json
 * records them. Attempted values: they are what runners report while a job runs, and Flink reports
 * no committed values at all.
 */
record JobCounters(Map<String, Long> byName) {
  JobCounters {
    byName = Map.copyOf(byName);
  }

  /** Queries both namespaces; a counter no step has incremented yet is absent (reads as 0). */
  static JobCounters query(MetricResults metrics) {
    MetricsFilter filter =
        MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.inNamespace(PromptMetrics.NAMESPACE))
            .addNameFilter(MetricNameFilter.inNamespace(VideoMetrics.NAMESPACE))
            .build();
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> counter : metrics.queryMetrics(filter).getCounters()) {
      // a counter is reported once per step that increments it
      counters.merge(
          key(counter.getName().getNamespace(), counter.getName().getName()),
          counter.getAttempted(),
          Long::sum);
    }
    return new JobCounters(counters);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private long get(String namespace, String name) {
    return byName.getOrDefault(key(namespace, name), 0L);
  }

  long rowsRead() {
    return get(PromptMetrics.NAMESPACE, PromptMetrics.ROWS_READ);
  }

  /** Rows rejected for any reason: the sum of the {@code failed_<kind>} counters. */
  long rowsRejected() {
    long rejected = 0;
    String prefix = key(PromptMetrics.NAMESPACE, PromptMetrics.FAILED_PREFIX);
    for (Map.Entry<String, Long> counter : byName.entrySet()) {
      if (counter.getKey().startsWith(prefix)) {
        rejected += counter.getValue();
      }
    }
    return rejected;
  }

  long videosPending() {
    return get(VideoMetrics.NAMESPACE, VideoMetrics.VIDEOS_PENDING);
  }

  long videosSkipped() {
    return get(VideoMetrics.NAMESPACE, VideoMetrics.VIDEOS_SKIPPED);
  }

  long videosDone() {
    return get(VideoMetrics.NAMESPACE, VideoMetrics.VIDEOS_DONE);
  }

  long videosFailed() {
    return get(VideoMetrics.NAMESPACE, VideoMetrics.VIDEOS_FAILED);
  }
}
