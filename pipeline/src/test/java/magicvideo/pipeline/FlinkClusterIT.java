package magicvideo.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import magicvideo.models.io.Sha256;
import magicvideo.transforms.io.AtomicOutputs;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.util.FileUtils;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * SLOW (two and a half to three and a half minutes on two busy cores; the integration-test phase
 * runs it, after package has built the fat jar): the job on a real Flink 1.19 standalone session
 * cluster, a JobManager and TaskManagers in JVMs of their own on 127.0.0.1 ({@link
 * StandaloneFlinkCluster}), set up as templates/flink/README.md tells users:
 * templates/flink/config.yaml and the DJL jars of {@code target/flink-lib.classpath} on the
 * TaskManagers' classpath. The fat jar submits each job as a user would ({@code java -jar
 * magicvideo.jar --runner=FlinkRunner --flinkMaster=HOST:PORT}), and its outputs are compared with
 * one DirectRunner run of the same jar.
 *
 * <p>Whichever test runs second submits its job to a TaskManager that has run one already, which
 * fails unless DJL is loaded parent-first from lib/ ("libc10.so already loaded in another
 * classloader"). Outputs, logs and the cluster's configuration stay in {@code
 * target/flink-cluster-it/} for diagnosis.
 */
public class FlinkClusterIT {
  private static final Duration CLUSTER_START = Duration.ofSeconds(90);
  private static final Duration JOB_END = Duration.ofMinutes(4);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int LOG_TAIL_LINES = 40;
  /** The launcher only submits and waits on Flink; the DirectRunner run holds 4 small videos. */
  private static final List<String> LAUNCHER_JVM =
      List.of(
          "-Xmx2g",
          "-Dai.djl.offline=true",
          "-Doffline=true",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

  @Rule public final Timeout timeout = Timeout.seconds(JOB_END.toSeconds() + 60);

  private static Path fatJar;
  private static Path work;
  private static Path prompts;
  private static Path directOut;
  private static StandaloneFlinkCluster cluster;
  /** The TaskManager now serving the cluster; the fault test replaces it. */
  private static JvmProcess taskManager;

  @BeforeClass
  public static void runOnDirectRunnerAndStartCluster() throws Exception {
    String fatJarPath = System.getProperty("magicvideo.fatJar");
    assumeTrue(
        "FlinkClusterIT runs in the integration-test phase (mvn verify), which sets"
            + " magicvideo.fatJar after package has built the fat jar",
        fatJarPath != null);
    fatJar = Path.of(fatJarPath);
    assertTrue(fatJar + " is missing: run mvn package first", Files.isRegularFile(fatJar));
    work = Path.of(System.getProperty("magicvideo.itDir"));
    if (Files.exists(work)) {
      FileUtils.deleteDirectory(work.toFile());
    }
    prompts = JobOutputs.writePrompts(Files.createDirectories(work));

    Configuration settings = testClusterSettings();
    directOut = work.resolve("direct");
    // libtorch's thread count changes how float sums round: the DirectRunner's JVM gets the
    // TaskManagers' options (env.java.opts.taskmanager), so that the bytes can be compared
    List<String> directJvm = new ArrayList<>(LAUNCHER_JVM);
    directJvm.addAll(StandaloneFlinkCluster.taskManagerJavaOptions(settings));
    try (JvmProcess direct =
        launch("direct", directJvm, directOut, List.of("--runner=DirectRunner"))) {
      awaitSuccess(direct);
    }
    cluster =
        StandaloneFlinkCluster.start(
            work.resolve("cluster"),
            settings,
            classpathFile("magicvideo.flinkClasspath"),
            classpathFile("magicvideo.flinkLibClasspath"),
            CLUSTER_START);
    taskManager = cluster.startTaskManager();
  }

  @AfterClass
  public static void stopCluster() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  public void clusterWritesTheDirectRunnersVideos() throws Exception {
    Path out = work.resolve("flink");
    try (JvmProcess launcher = launch("flink", LAUNCHER_JVM, out, flinkFlags("magicvideo-flink"))) {
      awaitSuccess(launcher);
    }
    assertSameOutputsAsDirectRunner(out);
  }

  /**
   * The TaskManager is killed (SIGKILL) once the first video is written and a replacement started;
   * Flink's fixed-delay restart (config.yaml) reruns the job, which must still end with each video
   * once, whole, and one manifest line per id.
   */
  @Test
  public void jobRestartedAfterItsTaskManagerIsKilledWritesEveryVideoOnce() throws Exception {
    Path out = work.resolve("flink-killed-taskmanager");
    String jobName = "magicvideo-killed-taskmanager";
    try (JvmProcess launcher =
        launch("killed-taskmanager", LAUNCHER_JVM, out, flinkFlags(jobName))) {
      awaitFirstVideo(out, launcher);
      taskManager.kill();
      taskManager = cluster.startTaskManager();
      awaitSuccess(launcher);
    }
    JsonNode job = cluster.job(jobName);
    assertNotEquals(
        "the job never restarted, so the kill did not hit it: " + job,
        0,
        job.path("timestamps").path("RESTARTING").asLong());
    assertSameOutputsAsDirectRunner(out);
    assertEquals(
        "every file under a final name in " + out.resolve(OutputLayout.VIDEOS_DIR)
            + " is a video or preview the manifest lists",
        manifestFiles(out),
        finalFiles(out.resolve(OutputLayout.VIDEOS_DIR), out));
  }

  /**
   * The test cluster: templates/flink/config.yaml, sized for this machine and told to notice a
   * lost TaskManager within seconds (Flink's default heartbeat timeout is 50 s) and to restart at
   * once.
   */
  private static Configuration testClusterSettings() {
    Configuration settings =
        GlobalConfiguration.loadConfiguration(System.getProperty("magicvideo.flinkTemplates"));
    settings.set(JobManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("1g"));
    settings.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("2g"));
    settings.set(TaskManagerOptions.TASK_OFF_HEAP_MEMORY, MemorySize.parse("256m"));
    settings.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, 1000L);
    settings.set(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, 5000L);
    settings.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    return settings;
  }

  /** The jars listed in the classpath file that Maven wrote (system property {@code property}). */
  private static List<Path> classpathFile(String property) throws IOException {
    String text = Files.readString(Path.of(System.getProperty(property)), StandardCharsets.UTF_8);
    return Arrays.stream(text.trim().split(File.pathSeparator)).map(Path::of).toList();
  }

  private static List<String> flinkFlags(String jobName) {
    return List.of(
        "--runner=FlinkRunner",
        "--flinkMaster=" + cluster.restAddress(),
        "--filesToStage=" + fatJar,
        "--parallelism=2",
        "--jobName=" + jobName);
  }

  /** Starts the fat jar's launcher on the test prompts, the tiny model and the fewest steps. */
  private static JvmProcess launch(
      String name, List<String> jvmOptions, Path out, List<String> runnerFlags)
      throws IOException {
    List<String> program = new ArrayList<>(List.of("-jar", fatJar.toString()));
    program.addAll(JobOutputs.fastArgs(prompts, out));
    program.addAll(runnerFlags);
    return JvmProcess.start(
        "launcher " + name, jvmOptions, program, work.resolve("log/launcher-" + name + ".log"));
  }

  private static void awaitSuccess(JvmProcess launcher) throws InterruptedException {
    int status = launcher.waitFor(JOB_END);
    assertEquals(
        launcher.name() + " exit status (-1 when still running after " + JOB_END.toMinutes()
            + " min)\n" + diagnosis(launcher),
        0,
        status);
  }

  /** Waits until a video is under its final name while the job still runs. */
  private static void awaitFirstVideo(Path out, JvmProcess launcher)
      throws IOException, InterruptedException {
    Path videos = out.resolve(OutputLayout.VIDEOS_DIR);
    Instant deadline = Instant.now().plus(JOB_END);
    while (finalFiles(videos, out).stream().noneMatch(file -> file.endsWith(".mp4"))) {
      assertTrue("no video in " + videos + "\n" + diagnosis(launcher), launcher.isAlive());
      assertTrue(
          "no video in " + videos + " after " + JOB_END.toMinutes() + " min\n"
              + diagnosis(launcher),
          Instant.now().isBefore(deadline));
      Thread.sleep(POLL.toMillis());
    }
  }

  private static String diagnosis(JvmProcess launcher) {
    return launcher.logTail(LOG_TAIL_LINES)
        + (cluster == null ? "" : "\n" + cluster.logTails());
  }

  /**
   * The run ended DONE with the DirectRunner's counters (after a restart too: Flink reports the
   * counters of the attempts that finished); the manifest lists the DirectRunner's ids, each once
   * ({@link JobOutputs#manifest} fails on a repeated id), with the same paths and video bytes, and
   * the files hold those bytes; the failures are the same.
   */
  private static void assertSameOutputsAsDirectRunner(Path out) throws IOException {
    RunRecord directRun = RunRecord.readFrom(OutputLayout.at(directOut.toString()));
    RunRecord run = RunRecord.readFrom(OutputLayout.at(out.toString()));
    assertEquals("DONE", run.state());
    assertEquals(directRun.counts(), run.counts());

    Map<String, ManifestEntry> direct = JobOutputs.manifest(directOut);
    Map<String, ManifestEntry> flink = JobOutputs.manifest(out);
    assertEquals(4, direct.size());
    assertEquals(direct.keySet(), flink.keySet());
    for (ManifestEntry entry : flink.values()) {
      ManifestEntry onDirectRunner = direct.get(entry.getId());
      assertEquals(entry.getId(), onDirectRunner.getSha256(), entry.getSha256());
      assertEquals(onDirectRunner.getVideo(), entry.getVideo());
      assertEquals(entry.getVideo(), entry.getSha256(), Sha256.of(out.resolve(entry.getVideo())));
    }
    assertEquals(
        JobOutputs.jsonLines(directOut.resolve(OutputLayout.FAILURES_DIR)),
        JobOutputs.jsonLines(out.resolve(OutputLayout.FAILURES_DIR)));
  }

  /** The video and preview paths the manifest lists, relative to {@code out}. */
  private static Set<String> manifestFiles(Path out) throws IOException {
    Set<String> files = new TreeSet<>();
    for (ManifestEntry entry : JobOutputs.manifest(out).values()) {
      files.add(entry.getVideo());
      files.add(entry.getPreview());
    }
    return files;
  }

  /**
   * Files under {@code folder} that are not hidden temporaries ({@link AtomicOutputs#TEMP_PREFIX}),
   * as paths relative to {@code out}; none when {@code folder} does not exist yet.
   */
  private static Set<String> finalFiles(Path folder, Path out) throws IOException {
    if (!Files.isDirectory(folder)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().startsWith(AtomicOutputs.TEMP_PREFIX))
          .map(file -> out.relativize(file).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
