package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * How {@link StandaloneFlinkCluster} reports a cluster that does not come up (the cluster that does
 * is {@link FlinkClusterIT}'s).
 */
public class StandaloneFlinkClusterTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void jobManagerThatCannotStartIsReportedWithItsLog() {
    Path dir = folder.getRoot().toPath().resolve("cluster");
    Configuration settings = new Configuration();
    settings.set(JobManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("1g"));

    // no Flink jars: the JobManager's JVM exits at once, unable to load its main class
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                StandaloneFlinkCluster.start(
                    dir, settings, List.of(), List.of(), Duration.ofSeconds(30)));

    assertThat(e.getMessage(), containsString("jobmanager exited while waiting for"));
    assertThat(e.getMessage(), containsString(dir.resolve("log/jobmanager.log").toString()));
    assertThat(
        e.getMessage(),
        containsString("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"));
  }
}
