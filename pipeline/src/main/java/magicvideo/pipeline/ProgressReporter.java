package magicvideo.pipeline;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;

/**
 * Prints one progress line every few seconds while a job runs (videos done / failed of those
 * pending, rows read and rejected, rate per minute, ETA), from the job's Beam metrics, and a
 * summary at the end.
 *
 * <p>It starts before the job is submitted, because some runners only return from {@code run()}
 * when the job has ended (FlinkRunner in batch mode; DirectRunner unless told not to block). If no
 * result has arrived by the first tick, it says once that progress will show at the end, rather
 * than staying silent.
 */
final class ProgressReporter {
  private final PrintStream out;
  private final Duration interval;
  private final long startNanos = System.nanoTime();
  private final Thread thread;
  private volatile PipelineResult result;

  private ProgressReporter(PrintStream out, Duration interval) {
    this.out = out;
    this.interval = interval;
    this.thread = new Thread(this::report, "magicvideo-progress");
    thread.setDaemon(true);
  }

  /** Starts reporting every {@code interval} on {@code out}; attach the result when it exists. */
  static ProgressReporter start(PrintStream out, Duration interval) {
    ProgressReporter reporter = new ProgressReporter(out, interval);
    reporter.thread.start();
    return reporter;
  }

  /** The submitted job; its metrics feed the following lines. */
  void attach(PipelineResult submitted) {
    this.result = submitted;
  }

  /** Stops the progress lines, then prints the summary of the final counters. */
  void finish(PipelineResult.State state, JobCounters counters) {
    stop();
    out.println(summary(state, counters, elapsed()));
  }

  /** Stops the progress lines without a summary: for a job that runs elsewhere, unwatched. */
  void stop() {
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void report() {
    boolean saidNoResult = false;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(interval.toMillis());
        PipelineResult job = result;
        if (job == null) {
          if (!saidNoResult) {
            out.println(
                "The runner runs the job to its end before it reports progress;"
                    + " the counts follow when it finishes.");
            saidNoResult = true;
          }
        } else if (job.getState().isTerminal()) {
          return;
        } else {
          out.println(line(JobCounters.query(job.metrics()), elapsed()));
        }
      }
    } catch (InterruptedException e) {
      // finish() stops the reporter
    } catch (RuntimeException e) {
      out.println(
          "Progress unavailable on this runner (" + e + "); the summary follows at the end.");
    }
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /**
   * E.g. {@code [1m05s] videos 12 done, 1 failed of 40 | rows 45 read, 5 rejected | 12.0/min | ETA
   * 2m15s}.
   */
  static String line(JobCounters counters, Duration elapsed) {
    long finished = counters.videosDone() + counters.videosFailed();
    StringBuilder line =
        new StringBuilder()
            .append('[')
            .append(format(elapsed))
            .append("] videos ")
            .append(counters.videosDone())
            .append(" done, ")
            .append(counters.videosFailed())
            .append(" failed of ")
            .append(counters.videosPending());
    if (counters.videosSkipped() > 0) {
      line.append(" (").append(counters.videosSkipped()).append(" skipped)");
    }
    line.append(" | rows ")
        .append(counters.rowsRead())
        .append(" read, ")
        .append(counters.rowsRejected())
        .append(" rejected");
    double minutes = elapsed.toMillis() / 60_000.0;
    if (finished > 0 && minutes > 0) {
      double perMinute = finished / minutes;
      line.append(String.format(Locale.ROOT, " | %.1f/min", perMinute));
      long remaining = counters.videosPending() - finished;
      if (remaining > 0) {
        line.append(" | ETA ")
            .append(format(Duration.ofSeconds(Math.round(remaining / perMinute * 60))));
      }
    }
    return line.toString();
  }

  /**
   * E.g. {@code Finished DONE in 2m05s: videos 39 done, 1 failed, 3 skipped | rows 45 read, 5
   * rejected}.
   */
  static String summary(PipelineResult.State state, JobCounters counters, Duration elapsed) {
    return String.format(
        Locale.ROOT,
        "Finished %s in %s: videos %d done, %d failed, %d skipped | rows %d read, %d rejected",
        state,
        format(elapsed),
        counters.videosDone(),
        counters.videosFailed(),
        counters.videosSkipped(),
        counters.rowsRead(),
        counters.rowsRejected());
  }

  /** {@code 45s}, {@code 3m07s}, {@code 2h05m}. */
  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
  }
}
