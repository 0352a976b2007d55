package magicvideo.pipeline;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Test;

public class ProgressReporterTest {
  private static JobCounters counters(long done, long failed, long pending, long skipped) {
    return new JobCounters(
        Map.of(
            "prompts/rows_read", 45L,
            "prompts/failed_empty_prompt", 3L,
            "prompts/failed_malformed_json", 2L,
            "magicvideo/videos_pending", pending,
            "magicvideo/videos_skipped", skipped,
            "magicvideo/videos_done", done,
            "magicvideo/videos_failed", failed));
  }

  @Test
  public void lineShowsCountsRateAndEta() {
    String line = ProgressReporter.line(counters(11, 1, 40, 0), Duration.ofSeconds(60));

    assertEquals(
        "[1m00s] videos 11 done, 1 failed of 40 | rows 45 read, 5 rejected"
            + " | 12.0/min | ETA 2m20s",
        line);
  }

  @Test
  public void lineBeforeAnyVideoHasNoRateAndNamesSkipped() {
    String line = ProgressReporter.line(counters(0, 0, 40, 3), Duration.ofSeconds(5));

    assertEquals("[5s] videos 0 done, 0 failed of 40 (3 skipped) | rows 45 read, 5 rejected", line);
  }

  @Test
  public void summaryNamesTheStateAndEveryCount() {
    String summary =
        ProgressReporter.summary(
            PipelineResult.State.DONE, counters(39, 1, 40, 3), Duration.ofMinutes(125));

    assertEquals(
        "Finished DONE in 2h05m: videos 39 done, 1 failed, 3 skipped | rows 45 read, 5 rejected",
        summary);
  }
}
