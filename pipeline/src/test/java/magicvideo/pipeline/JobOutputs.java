package magicvideo.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;

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

  /**
   * The job's flags for these prompts, with the fewest steps the tiny model allows. Batches of one:
   * a video's bytes then do not depend on which other videos shared its forward pass (batched float
   * math rounds differently), so reruns and runners can be compared byte for byte.
   */
  static List<String> fastArgs(Path prompts, Path out) {
    return new ArrayList<>(
        List.of(
            "--prompts=" + prompts,
            "--output=" + out,
            "--model=" + TinyModel.directory(),
            "--maxPromptChars=" + MAX_PROMPT_CHARS,
            "--steps=2",
            "--interpolationSteps=1",
            "--upscaleSteps=1",
            "--keyframes=4",
            "--numShards=2",
            "--batchSize=1"));
  }

  private JobOutputs() {}

  static Path writePrompts(Path folder) throws IOException {
    Path file = folder.resolve("prompts.txt");
    Files.writeString(file, PROMPTS);
    return file;
  }

  /** The manifest entries of every run into {@code out}, by id; fails on a repeated id. */
  static Map<String, ManifestEntry> manifest(Path out) throws IOException {
    Map<String, ManifestEntry> entries = new TreeMap<>();
    for (String line : jsonLines(out.resolve(OutputLayout.MANIFEST_DIR))) {
      ManifestEntry entry = ManifestEntry.fromJsonLine(line);
      if (entries.put(entry.getId(), entry) != null) {
        throw new AssertionError("id " + entry.getId() + " is listed twice in " + out);
      }
    }
    return entries;
  }

  /** The non-empty lines of every {@code .jsonl} file directly in {@code folder}, sorted. */
  static List<String> jsonLines(Path folder) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return lines;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jsonl"))::iterator) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            lines.add(line);
          }
        }
      }
    }
    lines.sort(null);
    return lines;
  }
}
