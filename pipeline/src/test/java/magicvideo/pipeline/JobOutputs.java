package magicvideo.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import magicvideo.transforms.io.AtomicOutputs;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Prompt files in and the job's files out, for the end-to-end tests. Outputs are read through
 * Beam's {@link FileSystems}, so the same helpers check a local folder and a gs:// bucket (for
 * gs://, {@link FileSystems} must know the bucket's options).
 */
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

  /** {@link #fastArgs(String, String, String)} with local paths and the local tiny model. */
  static List<String> fastArgs(Path prompts, Path out) {
    return fastArgs(prompts.toString(), out.toString(), TinyModel.directory().toString());
  }

  /**
   * The job's flags for these prompts, with the fewest steps the tiny model allows. Batches of one:
   * a video's bytes then do not depend on which other videos shared its forward pass (batched float
   * math rounds differently), so reruns and runners can be compared byte for byte.
   */
  static List<String> fastArgs(String prompts, String out, String model) {
    return new ArrayList<>(
        List.of(
            "--prompts=" + prompts,
            "--output=" + out,
            "--model=" + model,
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

  static Map<String, ManifestEntry> manifest(Path out) throws IOException {
    return manifest(out.toString());
  }

  /** The manifest entries of every run into {@code out}, by id; fails on a repeated id. */
  static Map<String, ManifestEntry> manifest(String out) throws IOException {
    Map<String, ManifestEntry> entries = new TreeMap<>();
    for (String line : jsonLines(OutputLayout.at(out).resolve(OutputLayout.MANIFEST_DIR))) {
      ManifestEntry entry = ManifestEntry.fromJsonLine(line);
      if (entries.put(entry.getId(), entry) != null) {
        throw new AssertionError("id " + entry.getId() + " is listed twice in " + out);
      }
    }
    return entries;
  }

  static List<String> jsonLines(Path folder) throws IOException {
    return jsonLines(folder.toString());
  }

  /** The non-empty lines of every {@code .jsonl} file directly in {@code folder}, sorted. */
  static List<String> jsonLines(String folder) throws IOException {
    List<String> lines = new ArrayList<>();
    MatchResult files =
        FileSystems.match(folder + "/*" + OutputLayout.JSON_LINES, EmptyMatchTreatment.ALLOW);
    if (files.status() == MatchResult.Status.NOT_FOUND) {
      return lines;
    }
    for (MatchResult.Metadata file : files.metadata()) {
      String text =
          new String(
              AtomicOutputs.readBytes(file.resourceId().toString()), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    lines.sort(null);
    return lines;
  }
}
