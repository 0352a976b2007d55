package magicvideo.transforms.outputs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import magicvideo.transforms.io.AtomicOutputs;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Reads a run's outputs back through Beam's {@link FileSystems} (local, {@code gs://}, ...), for
 * the steps that run on the launcher around a job: resume, gallery. {@link FileSystems} must know
 * the job's options ({@code FileSystems.setDefaultPipelineOptions}) for remote schemes.
 */
final class OutputFiles {
  /** Paths per match call: GCS batches existence checks 100 at a time, local disks don't care. */
  private static final int MATCH_CHUNK = 1000;

  private OutputFiles() {}

  /**
   * The files matching {@code pattern}, sorted by path; none when nothing matches. Temporary files
   * of an interrupted atomic write ({@link AtomicOutputs#TEMP_PREFIX}) are skipped.
   */
  static List<ResourceId> match(String pattern) throws IOException {
    MatchResult result = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    if (result.status() != MatchResult.Status.OK
        && result.status() != MatchResult.Status.NOT_FOUND) {
      throw new IOException("cannot list " + pattern + ": status " + result.status());
    }
    List<ResourceId> files = new ArrayList<>();
    if (result.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata file : result.metadata()) {
        String name = file.resourceId().getFilename();
        if (name != null && !name.startsWith(AtomicOutputs.TEMP_PREFIX)) {
          files.add(file.resourceId());
        }
      }
    }
    files.sort(Comparator.comparing(ResourceId::toString));
    return files;
  }

  /** Receives the lines of a file one by one. */
  @FunctionalInterface
  interface LineConsumer {
    /** {@code number} is 1-based; {@code line} has no terminator. */
    void accept(long number, String line) throws IOException;
  }

  /** Streams the lines of a UTF-8 text file, so a manifest of millions of lines is never held. */
  static void forEachLine(ResourceId file, LineConsumer consumer) throws IOException {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Channels.newInputStream(FileSystems.open(file)), StandardCharsets.UTF_8))) {
      long number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        consumer.accept(++number, line);
      }
    }
  }

  /** The size of each path that exists as a file; paths that do not exist are absent. */
  static Map<String, Long> sizes(List<String> paths) throws IOException {
    Map<String, Long> sizes = new HashMap<>();
    for (int from = 0; from < paths.size(); from += MATCH_CHUNK) {
      List<String> chunk = paths.subList(from, Math.min(paths.size(), from + MATCH_CHUNK));
      List<MatchResult> results = FileSystems.match(chunk);
      for (int i = 0; i < chunk.size(); i++) {
        MatchResult result = results.get(i);
        if (result.status() == MatchResult.Status.OK) {
          for (MatchResult.Metadata file : result.metadata()) {
            sizes.put(chunk.get(i), file.sizeBytes());
          }
        } else if (result.status() != MatchResult.Status.NOT_FOUND) {
          throw new IOException("cannot check " + chunk.get(i) + ": status " + result.status());
        }
      }
    }
    return sizes;
  }
}
