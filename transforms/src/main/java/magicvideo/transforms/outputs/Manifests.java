package magicvideo.transforms.outputs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The manifest of an output folder as one list: every line of every {@code OUT/manifest/*.jsonl},
 * for tools that run after a job (the {@code eval} command). Read through Beam's filesystems, so
 * {@code OUT} may be a bucket.
 */
public final class Manifests {
  private Manifests() {}

  /**
   * Every entry, sorted by id. An id listed twice (which {@code --resume} never leaves) keeps the
   * line read last, from the file whose path sorts last. A line that is not a manifest entry
   * fails the read, naming the file and line.
   */
  public static List<ManifestEntry> read(OutputLayout layout) throws IOException {
    requireNonNull(layout, "layout");
    TreeMap<String, ManifestEntry> byId = new TreeMap<>();
    for (ResourceId file : OutputFiles.match(layout.manifestPattern())) {
      OutputFiles.forEachLine(
          file,
          (number, line) -> {
            if (!line.isBlank()) {
              ManifestEntry entry = parse(file, number, line);
              byId.put(entry.getId(), entry);
            }
          });
    }
    return List.copyOf(byId.values());
  }

  private static ManifestEntry parse(ResourceId file, long number, String line) throws IOException {
    try {
      return ManifestEntry.fromJsonLine(line);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          file + " line " + number + " is not a manifest entry: " + e.getMessage(), e);
    }
  }
}
