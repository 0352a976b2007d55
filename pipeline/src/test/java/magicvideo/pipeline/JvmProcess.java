package magicvideo.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java program started in its own JVM, for the tests that need real separate processes (a Flink
 * cluster, the fat jar's launcher). Standard output and error go to one log file, so a failure can
 * quote its tail. The JVM is the one running the tests; the child inherits its environment.
 */
final class JvmProcess implements AutoCloseable {
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Path log;

  private JvmProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code java <jvmOptions> <programAndArgs>}, logging to {@code log} (replaced).
   *
   * @param programAndArgs e.g. {@code -cp CLASSPATH MainClass args...} or {@code -jar JAR args...}
   */
  static JvmProcess start(
      String name, List<String> jvmOptions, List<String> programAndArgs, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(programAndArgs);
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new JvmProcess(name, process, log);
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as a crashed machine or the kernel's OOM killer would end it; waits for the exit. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** The exit status, or -1 when the process is still running after {@code timeout}. */
  int waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** The last {@code lines} lines of the log, headed by the process name, for failure messages. */
  String logTail(int lines) {
    List<String> all;
    try {
      all = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "== " + name + ": cannot read " + log + ": " + e;
    }
    List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
    return "== " + name + " (" + log + ", last " + tail.size() + " lines)\n"
        + String.join("\n", tail);
  }

  /** Asks the JVM to exit (its shutdown hooks run), and kills it if it has not after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
