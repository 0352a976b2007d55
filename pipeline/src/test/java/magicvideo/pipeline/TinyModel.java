package magicvideo.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import magicvideo.models.generate.RandomModels;

/** The tiny random model, written once per test JVM and shared by the test classes. */
final class TinyModel {
  private static Path directory;

  private TinyModel() {}

  static synchronized Path directory() {
    if (directory == null) {
      try {
        Path parent = Files.createTempDirectory("magicvideo-test-model");
        parent.toFile().deleteOnExit();
        directory = RandomModels.writeTiny(parent.resolve("tiny"), 1).root();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the tiny test model", e);
      }
    }
    return directory;
  }
}
