package magicvideo.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.clusterframework.BootstrapTools;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.apache.flink.util.FileUtils;

/**
 * A Flink standalone session cluster on 127.0.0.1, each JobManager and TaskManager its own JVM,
 * started from Maven jars the way Flink's {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh}
 * start one from a distribution: the entry point class with {@code --configDir}, the memory flags
 * and {@code -D} options Flink computes from the configuration (what {@code BashJavaUtils
 * GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS} print for those scripts; without them the
 * TaskManager refuses to start), and the configured {@code env.java.opts.*}.
 *
 * <p>Under {@code dir}: {@code conf/config.yaml}, {@code log/} (one file per process, kept for
 * diagnosis) and {@code tmp/} (blob storage and job jars, ~400 MB per job; deleted on close).
 * Ports are chosen free at start. Processes are ended on {@link #close()} and, should the test JVM
 * exit first, by a shutdown hook.
 */
final class StandaloneFlinkCluster implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final int LOG_TAIL_LINES = 40;
  private static final Duration POLL = Duration.ofMillis(250);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** slf4j-simple (the cluster's logging backend here) prints no time unless told to. */
  private static final List<String> LOG_WITH_TIME =
      List.of(
          "-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");

  private final Path dir;
  private final Configuration config;
  private final String taskManagerClasspath;
  private final Duration startTimeout;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<JvmProcess> processes = new ArrayList<>();
  private final Thread stopOnExit = new Thread(this::stopProcesses, "stop-flink-cluster");
  private int taskManagersStarted;

  private StandaloneFlinkCluster(
      Path dir, Configuration config, String taskManagerClasspath, Duration startTimeout) {
    this.dir = dir;
    this.config = config;
    this.taskManagerClasspath = taskManagerClasspath;
    this.startTimeout = startTimeout;
  }

  /**
   * Writes the configuration ({@code settings} plus loopback addresses, free ports and directories
   * under {@code dir}, which is emptied first) and starts the JobManager; {@link
   * #startTaskManager()} adds TaskManagers.
   *
   * @param flinkJars Flink's own runtime, the jars a distribution's lib/ holds
   * @param libJars jars a user adds to lib/ (TaskManagers only)
   * @param startTimeout how long each process may take to answer
   * @throws IllegalStateException when the cluster does not come up, quoting the processes' logs
   */
  static StandaloneFlinkCluster start(
      Path dir,
      Configuration settings,
      List<Path> flinkJars,
      List<Path> libJars,
      Duration startTimeout)
      throws IOException, InterruptedException {
    if (Files.exists(dir)) {
      FileUtils.deleteDirectory(dir.toFile());
    }
    Configuration config = new Configuration(settings);
    int[] ports = freePorts(3);
    config.set(JobManagerOptions.ADDRESS, HOST);
    config.set(JobManagerOptions.BIND_HOST, HOST);
    config.set(JobManagerOptions.PORT, ports[0]);
    config.set(RestOptions.ADDRESS, HOST);
    config.set(RestOptions.BIND_ADDRESS, HOST);
    config.set(RestOptions.PORT, ports[1]);
    config.set(BlobServerOptions.PORT, Integer.toString(ports[2]));
    config.set(TaskManagerOptions.HOST, HOST);
    config.set(TaskManagerOptions.BIND_HOST, HOST);
    String tmp = Files.createDirectories(dir.resolve("tmp")).toString();
    config.set(CoreOptions.TMP_DIRS, tmp);
    config.set(WebOptions.TMP_DIR, tmp);
    Files.createDirectories(dir.resolve("conf"));
    BootstrapTools.writeConfiguration(config, dir.resolve("conf/config.yaml").toFile());

    List<Path> taskManagerJars = new ArrayList<>(flinkJars);
    taskManagerJars.addAll(libJars);
    StandaloneFlinkCluster cluster =
        new StandaloneFlinkCluster(dir, config, classpath(taskManagerJars), startTimeout);
    Runtime.getRuntime().addShutdownHook(cluster.stopOnExit);
    try {
      cluster.startJobManager(classpath(flinkJars));
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** {@code 127.0.0.1:PORT} of the REST endpoint: FlinkRunner's {@code --flinkMaster}. */
  String restAddress() {
    return HOST + ":" + config.get(RestOptions.PORT);
  }

  /**
   * Starts one more TaskManager and waits until it has registered with the JobManager.
   *
   * @return the TaskManager, to {@link JvmProcess#kill() kill} it
   */
  JvmProcess startTaskManager() throws IOException, InterruptedException {
    String resourceId = "taskmanager-" + (++taskManagersStarted);
    TaskExecutorProcessSpec memory =
        TaskExecutorProcessUtils.processSpecFromConfig(
            TaskExecutorProcessUtils.getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(
                config, TaskManagerOptions.TOTAL_FLINK_MEMORY));
    List<String> jvm = new ArrayList<>(words(ProcessMemoryUtils.generateJvmParametersStr(memory)));
    jvm.addAll(taskManagerJavaOptions(config));
    List<String> program =
        new ArrayList<>(
            List.of(
                "-cp",
                taskManagerClasspath,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                "--configDir",
                dir.resolve("conf").toString(),
                "-D",
                TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key() + "=" + resourceId));
    program.addAll(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(memory)));
    JvmProcess taskManager = startProcess(resourceId, jvm, program);
    awaitRest(
        "TaskManager " + resourceId + " to register",
        taskManager,
        "/taskmanagers",
        reply -> reply.path("taskmanagers").findValuesAsText("id").contains(resourceId));
    return taskManager;
  }

  /**
   * The details of the one job named {@code name} ({@code GET /jobs/:jobid}): state, vertices, and
   * {@code timestamps} of each state the job has been in (0 for those it never was).
   */
  JsonNode job(String name) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      if (name.equals(job.path("name").asText())) {
        ids.add(job.path("jid").asText());
      }
    }
    if (ids.size() != 1) {
      throw new IllegalStateException(
          ids.size() + " jobs named " + name + " on the cluster at " + restAddress());
    }
    return get("/jobs/" + ids.get(0));
  }

  /** The tails of every process's log, for failure messages. */
  String logTails() {
    return processes.stream().map(p -> p.logTail(LOG_TAIL_LINES)).collect(Collectors.joining("\n"));
  }

  /** Ends every process and deletes {@code tmp/}; the configuration and logs stay. */
  @Override
  public void close() throws IOException {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException alreadyExiting) {
      // the hook is running or has run: nothing left to remove
    }
    FileUtils.deleteDirectory(dir.resolve("tmp").toFile());
  }

  private void startJobManager(String classpath) throws IOException, InterruptedException {
    JobManagerProcessSpec memory =
        JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap(
            config, JobManagerOptions.JVM_HEAP_MEMORY);
    List<String> jvm =
        new ArrayList<>(words(JobManagerProcessUtils.generateJvmParametersStr(memory, config)));
    jvm.addAll(javaOptions(config, CoreOptions.FLINK_JM_JVM_OPTIONS));
    List<String> program =
        new ArrayList<>(
            List.of(
                "-cp",
                classpath,
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                "--configDir",
                dir.resolve("conf").toString()));
    program.addAll(words(JobManagerProcessUtils.generateDynamicConfigsStr(memory)));
    JvmProcess jobManager = startProcess("jobmanager", jvm, program);
    awaitRest("the JobManager's REST endpoint", jobManager, "/overview", reply -> true);
  }

  private JvmProcess startProcess(String name, List<String> jvmOptions, List<String> program)
      throws IOException {
    List<String> jvm = new ArrayList<>(jvmOptions);
    jvm.addAll(LOG_WITH_TIME);
    JvmProcess process = JvmProcess.start(name, jvm, program, dir.resolve("log/" + name + ".log"));
    processes.add(process);
    return process;
  }

  /** The JVM options {@code config} gives TaskManagers, as {@code bin/taskmanager.sh} reads it. */
  static List<String> taskManagerJavaOptions(Configuration config) {
    return javaOptions(config, CoreOptions.FLINK_TM_JVM_OPTIONS);
  }

  /** What Flink's scripts pass a process: {@code env.java.opts.all}, then the role's own. */
  private static List<String> javaOptions(Configuration config, ConfigOption<String> roleOptions) {
    List<String> options = new ArrayList<>(words(config.get(CoreOptions.FLINK_JVM_OPTIONS)));
    options.addAll(words(config.get(roleOptions)));
    return options;
  }

  /** Polls {@code path} until its reply is {@code ready}; fails when {@code process} ends first. */
  private void awaitRest(String what, JvmProcess process, String path, Predicate<JsonNode> ready)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(startTimeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            process.name() + " exited while waiting for " + what + "\n" + logTails());
      }
      try {
        if (ready.test(get(path))) {
          return;
        }
      } catch (IOException notYet) {
        // the endpoint is not listening yet
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new IllegalStateException(
        "Flink cluster in " + dir + ": no " + what + " within " + startTimeout.toSeconds()
            + " s (REST " + restAddress() + path + ")\n" + logTails());
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + restAddress() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + reply.statusCode() + " " + reply.body());
    }
    return JSON.readTree(reply.body());
  }

  private synchronized void stopProcesses() {
    // TaskManagers first, so they do not spend the JobManager's last seconds reconnecting
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }

  private static String classpath(List<Path> jars) {
    return jars.stream()
        .distinct()
        .map(Path::toString)
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }

  /** Ports free on the loopback address now; held open together, so they are distinct. */
  private static int[] freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }
}
