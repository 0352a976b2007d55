package magicvideo.transforms.outputs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import magicvideo.transforms.io.AtomicOutputs;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code OUT/index.html}: a static page a person opens in a browser to see the videos of an output
 * folder, with prompt, seed and timings, and how many rows failed with links to the failure files.
 * Built on the launcher after the job, from the manifest files of every run into the folder, so a
 * resumed run's page shows the whole set.
 *
 * <p>Failures are those of the latest run when its record is given: a resumed run retries every
 * incomplete request and re-reads every row, so its failures replace the earlier runs' (whose files
 * stay in {@code failures/}).
 *
 * <p>The page links only files that exist when it is built: a listed video that is missing is shown
 * as missing, without a link. Paths are relative, so the folder can be copied and still browsed.
 * Large runs show the first {@value #MAX_VIDEOS} videos by id (a browser page with more becomes
 * unusable); the manifest lists them all.
 */
public final class Gallery {
  public static final int MAX_VIDEOS = 1000;

  private Gallery() {}

  /**
   * Reads the manifests and failure files under {@code layout}, checks which listed files exist,
   * and writes the page atomically.
   *
   * @param latestRun shown in the page's header, and whose failures are counted; null when there is
   *     no run record (then every run's failures are)
   */
  public static void write(OutputLayout layout, @Nullable RunRecord latestRun) throws IOException {
    requireNonNull(layout, "layout");
    TreeMap<String, ManifestEntry> shown = new TreeMap<>();
    long[] listed = {0};
    List<String> manifests = new ArrayList<>();
    for (ResourceId file : OutputFiles.match(layout.manifestPattern())) {
      manifests.add(linked(file, OutputLayout.MANIFEST_DIR));
      OutputFiles.forEachLine(
          file,
          (number, line) -> {
            if (line.isBlank()) {
              return;
            }
            ManifestEntry entry = parse(file, number, line);
            listed[0]++;
            shown.put(entry.getId(), entry);
            if (shown.size() > MAX_VIDEOS) {
              shown.pollLastEntry();
            }
          });
    }
    List<String> failureFiles = new ArrayList<>();
    long failures = 0;
    for (ResourceId file : OutputFiles.match(layout.failuresPattern())) {
      if (latestRun != null
          && !OutputLayout.isFileOfRun(String.valueOf(file.getFilename()), latestRun.runId())) {
        continue;
      }
      long[] lines = {0};
      OutputFiles.forEachLine(
          file,
          (number, line) -> {
            if (!line.isBlank()) {
              lines[0]++;
            }
          });
      failures += lines[0];
      failureFiles.add(linked(file, OutputLayout.FAILURES_DIR));
    }
    List<GalleryHtml.Card> cards = cards(layout, shown.values());
    String html =
        new GalleryHtml(latestRun, cards, listed[0], manifests, failures, failureFiles).render();
    AtomicOutputs.write(
        layout.gallery(), "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  private static ManifestEntry parse(ResourceId file, long number, String line) throws IOException {
    try {
      return ManifestEntry.fromJsonLine(line);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "cannot build the gallery: "
              + file
              + " line "
              + number
              + " is not a manifest entry: "
              + e.getMessage(),
          e);
    }
  }

  /** A file of {@code folder} as the page links it: relative to the output folder. */
  private static String linked(ResourceId file, String folder) {
    return folder + "/" + file.getFilename();
  }

  /** One card per shown entry, each path kept only if the file exists. */
  private static List<GalleryHtml.Card> cards(OutputLayout layout, Iterable<ManifestEntry> entries)
      throws IOException {
    List<String> paths = new ArrayList<>();
    for (ManifestEntry entry : entries) {
      addPath(layout, paths, entry.getVideo());
      addPath(layout, paths, entry.getPreview());
      addPath(layout, paths, entry.getTensors());
    }
    Map<String, Long> existing = OutputFiles.sizes(paths);
    List<GalleryHtml.Card> cards = new ArrayList<>();
    for (ManifestEntry entry : entries) {
      cards.add(
          new GalleryHtml.Card(
              entry,
              ifExists(layout, existing, entry.getVideo()),
              ifExists(layout, existing, entry.getPreview()),
              ifExists(layout, existing, entry.getTensors())));
    }
    return cards;
  }

  private static void addPath(OutputLayout layout, List<String> paths, @Nullable String relative) {
    if (relative != null) {
      paths.add(layout.resolve(relative));
    }
  }

  private static @Nullable String ifExists(
      OutputLayout layout, Map<String, Long> existing, @Nullable String relative) {
    return relative != null && existing.containsKey(layout.resolve(relative)) ? relative : null;
  }
}
