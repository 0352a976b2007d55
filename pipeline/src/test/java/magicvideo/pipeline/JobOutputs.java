package magicvideo.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Prompt files in and the job's files out, for the end-to-end tests. */
final class JobOutputs {
  /** Six rows: four good, one blank-looking (spaces only) and one over 40 characters. */
  static final String PROMPTS =
      "a red circle moving left\n"
          + "a blue square moving up\n"
          + "   \n"
          + "a green triangle moving right\n"
          + "a yellow circle moving down, slowly, across a wide black field\n"
          + "a white square moving left\n";

  static final int MAX_PROMPT_CHARS = 40;

  private JobOutputs() {}

  static Path writePrompts(Path folder) throws IOException {
    Path file = folder.resolve("prompts.txt");
    Files.writeString(file, PROMPTS);
    return file;
  }

  /** The non-empty lines of every {@code .jsonl} file directly in {@code folder}. */
  static Set<String> jsonLines(Path folder) throws IOException {
    Set<String> lines = new TreeSet<>();
    if (!Files.isDirectory(folder)) {
      return lines;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jsonl"))::iterator) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            lines.add(line);
          }
        }
      }
    }
    return lines;
  }
}
