package magicvideo.transforms.outputs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import magicvideo.transforms.io.AtomicOutputs;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * What earlier runs left in an output folder, for {@code --resume}: the ids whose output file
 * (video, or tensors of an {@code --until} run) is listed in a manifest and present with the listed
 * size. Read on the launcher before the job starts, through Beam's filesystems; {@link
 * SelectPending} then skips those ids.
 *
 * <p>A manifest line whose file is missing or has another size (deleted, or cut short by a crash of
 * some other tool) is stale, and so is a second line for an id already complete. {@link
 * #dropStaleLines()} removes them from the manifest files before the job regenerates those ids, so
 * that after the run the union of all manifest files still has exactly one line per id.
 */
public final class ExistingOutputs {
  private final Set<String> completeIds;
  private final Map<ResourceId, Set<Long>> staleLines;
  private final long listedLines;

  private ExistingOutputs(
      Set<String> completeIds, Map<ResourceId, Set<Long>> staleLines, long listedLines) {
    this.completeIds = completeIds;
    this.staleLines = staleLines;
    this.listedLines = listedLines;
  }

  /**
   * Reads every {@code OUT/manifest/*.jsonl} and checks the listed files' sizes. A line that is not
   * a manifest entry fails the scan, naming the file and line: resuming over a manifest that cannot
   * be read would regenerate, and list twice, videos that exist.
   */
  public static ExistingOutputs scan(OutputLayout layout) throws IOException {
    requireNonNull(layout, "layout");
    List<Listed> listed = new ArrayList<>();
    for (ResourceId file : OutputFiles.match(layout.manifestPattern())) {
      OutputFiles.forEachLine(
          file,
          (number, line) -> {
            if (!line.isBlank()) {
              listed.add(Listed.parse(layout, file, number, line));
            }
          });
    }
    List<String> paths = new ArrayList<>(listed.size());
    for (Listed entry : listed) {
      paths.add(entry.path());
    }
    Map<String, Long> sizes = OutputFiles.sizes(paths);
    Set<String> complete = new HashSet<>();
    Map<ResourceId, Set<Long>> stale = new LinkedHashMap<>();
    for (Listed entry : listed) {
      boolean present = Long.valueOf(entry.bytes()).equals(sizes.get(entry.path()));
      if (!present || !complete.add(entry.id())) {
        stale.computeIfAbsent(entry.file(), f -> new HashSet<>()).add(entry.line());
      }
    }
    return new ExistingOutputs(Collections.unmodifiableSet(complete), stale, listed.size());
  }

  /** Ids listed in a manifest whose file is present with the listed size. */
  public Set<String> completeIds() {
    return completeIds;
  }

  /** Manifest lines read, stale ones included. */
  public long listedLines() {
    return listedLines;
  }

  /** Lines to drop: their file is missing or short, or their id is listed complete before. */
  public long staleLines() {
    return staleLines.values().stream().mapToLong(Set::size).sum();
  }

  /**
   * Rewrites each manifest file that has stale lines without them, atomically (a temporary file,
   * then a rename), keeping the other lines byte for byte and in order. Call it before the resumed
   * job writes its own manifest. A file is forgotten once rewritten (its line numbers have
   * changed), so a second call does nothing and {@link #staleLines()} is then 0.
   */
  public void dropStaleLines() throws IOException {
    for (Iterator<Map.Entry<ResourceId, Set<Long>>> files = staleLines.entrySet().iterator();
        files.hasNext(); ) {
      Map.Entry<ResourceId, Set<Long>> file = files.next();
      Set<Long> drop = file.getValue();
      AtomicOutputs.write(
          file.getKey().toString(),
          "text/plain",
          (OutputStream out) ->
              OutputFiles.forEachLine(
                  file.getKey(),
                  (number, line) -> {
                    if (!drop.contains(number)) {
                      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                  }));
      files.remove();
    }
  }

  /** One manifest line, reduced to what the completeness check needs. */
  private record Listed(ResourceId file, long line, String id, String path, long bytes) {
    static Listed parse(OutputLayout layout, ResourceId file, long line, String json)
        throws IOException {
      try {
        ManifestEntry entry = ManifestEntry.fromJsonLine(json);
        return new Listed(
            file, line, entry.getId(), layout.resolve(entry.getOutputPath()), entry.getBytes());
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "cannot resume: "
                + file
                + " line "
                + line
                + " is not a manifest entry: "
                + e.getMessage(),
            e);
      }
    }
  }
}
