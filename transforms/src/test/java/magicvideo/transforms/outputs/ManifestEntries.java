package magicvideo.transforms.outputs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Manifest entries and output folders for tests. */
final class ManifestEntries {
  static final ModelRef MODEL = new ModelRef("magicvideo-tiny-random", "0.1.0", "ab".repeat(32));

  private ManifestEntries() {}

  /** A video entry at {@code videos/00000/<id>.mp4} with a GIF preview and the given size. */
  static ManifestEntry video(String id, long bytes) {
    return ManifestEntry.builder()
        .setId(id)
        .setPrompt("a red circle moving left")
        .setSeed(7)
        .setModel(MODEL)
        .setSampler("dpmpp-2m")
        .setSteps(25)
        .setGuidance(7.5)
        .setKeyframes(8)
        .setFrames(29)
        .setFps(8)
        .setWidth(128)
        .setHeight(128)
        .setVideo(OutputLayout.videoPath("00000", id, "mp4"))
        .setPreview(OutputLayout.videoPath("00000", id, "gif"))
        .setBytes(bytes)
        .setSha256("0".repeat(64))
        .setStageSeconds(Map.of("keyframes", 1.5, "decode", 0.25))
        .build();
  }

  /**
   * The entry of a run stopped after {@code stage}: {@code tensors/00000/<id>.safetensors}, with
   * seconds for each stage up to {@code stage} (e.g. "keyframes", "interpolate").
   */
  static ManifestEntry tensors(String id, String... stages) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (String stage : stages) {
      seconds.put(stage, 1.0);
    }
    return video(id, 100).toBuilder()
        .setVideo(null)
        .setPreview(null)
        .setTensors(OutputLayout.tensorsPath("00000", id))
        .setStageSeconds(seconds)
        .build();
  }

  /** Writes {@code bytes} zero bytes at {@code relative} under {@code out}. */
  static void writeFile(Path out, String relative, int bytes) throws IOException {
    Path file = out.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[bytes]);
  }

  /** Writes a manifest file {@code OUT/manifest/<name>} with one line per entry. */
  static void writeManifest(Path out, String name, List<ManifestEntry> entries) throws IOException {
    Path file = out.resolve(OutputLayout.MANIFEST_DIR).resolve(name);
    Files.createDirectories(file.getParent());
    StringBuilder lines = new StringBuilder();
    for (ManifestEntry entry : entries) {
      lines.append(entry.toJsonLine()).append('\n');
    }
    Files.writeString(file, lines, StandardCharsets.UTF_8);
  }
}
