package magicvideo.transforms.outputs;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Where each output of a run lives under the output folder {@code OUT} (a local directory or a
 * bucket prefix such as {@code gs://bucket/run}), in one place, as ARCHITECTURE.md section 5 lays
 * it out:
 *
 * <pre>
 * OUT/videos/SHARD/ID.mp4           the video (or .webm), with ID.gif or ID.jpg beside it
 * OUT/tensors/SHARD/ID.safetensors   the latents or frames of a run stopped with --until
 * OUT/manifest/RUNID-*.jsonl         one line per generated video
 * OUT/failures/RUNID-*.jsonl         one line per rejected prompt or failed video
 * OUT/run.json                       every parameter of the last run
 * OUT/index.html                     the gallery
 * </pre>
 *
 * <p>Manifest entries record paths relative to {@code OUT} (e.g. {@code videos/00003/a.mp4}), so an
 * output folder can be copied or moved between disk and bucket and still read. Paths are joined
 * with '/', which every Beam filesystem accepts.
 */
public final class OutputLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String MANIFEST_DIR = "manifest";
  public static final String FAILURES_DIR = "failures";
  public static final String VIDEOS_DIR = "videos";
  public static final String TENSORS_DIR = "tensors";
  public static final String RUN_RECORD = "run.json";
  public static final String GALLERY = "index.html";
  public static final String JSON_LINES = ".jsonl";
  public static final String TENSORS_EXTENSION = "safetensors";

  /** What TextIO appends to a prefix: shard index and count. */
  private static final Pattern SHARD_SUFFIX = Pattern.compile("\\d+-of-\\d+");

  private final String root;

  private OutputLayout(String root) {
    this.root = root;
  }

  /**
   * The layout under {@code outputDir}, written without or with a trailing '/'. Give an absolute
   * path or a URI: a relative local path would resolve against each worker's own directory.
   */
  public static OutputLayout at(String outputDir) {
    requireNonNull(outputDir, "outputDir");
    String root = outputDir.strip();
    while (root.length() > 1 && root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    if (root.isEmpty()) {
      throw new IllegalArgumentException("output folder is empty");
    }
    return new OutputLayout(root);
  }

  /** The output folder, without a trailing '/'. */
  public String root() {
    return root;
  }

  /** The full path of {@code relative}, a path under {@code OUT} as the manifest records it. */
  public String resolve(String relative) {
    requireNonNull(relative, "relative");
    if (relative.isEmpty() || relative.startsWith("/") || hasParentSegment(relative)) {
      throw new IllegalArgumentException(
          "output path '"
              + relative
              + "' must be relative to the output folder, without a '..' segment");
    }
    return root + "/" + relative;
  }

  private static boolean hasParentSegment(String relative) {
    for (String segment : relative.split("/", -1)) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** TextIO prefix of this run's manifest files: {@code OUT/manifest/<runId>}. */
  public String manifestPrefix(String runId) {
    return resolve(MANIFEST_DIR + "/" + runId);
  }

  /** Every run's manifest files. */
  public String manifestPattern() {
    return resolve(MANIFEST_DIR + "/*" + JSON_LINES);
  }

  /** TextIO prefix of this run's failure files: {@code OUT/failures/<runId>}. */
  public String failuresPrefix(String runId) {
    return resolve(FAILURES_DIR + "/" + runId);
  }

  /** Every run's failure files. */
  public String failuresPattern() {
    return resolve(FAILURES_DIR + "/*" + JSON_LINES);
  }

  /**
   * Whether {@code fileName} is one of the manifest or failure files that run {@code runId} wrote
   * ({@code <runId>-SSSSS-of-NNNNN.jsonl}), and not another run's whose id merely starts the same.
   */
  public static boolean isFileOfRun(String fileName, String runId) {
    String prefix = runId + "-";
    return fileName.startsWith(prefix)
        && fileName.endsWith(JSON_LINES)
        && SHARD_SUFFIX
            .matcher(fileName.substring(prefix.length(), fileName.length() - JSON_LINES.length()))
            .matches();
  }

  public String runRecord() {
    return resolve(RUN_RECORD);
  }

  public String gallery() {
    return resolve(GALLERY);
  }

  /**
   * {@code videos/<shardName>/<id>.<extension>}, relative: the video with extension {@code mp4} or
   * {@code webm}, its preview beside it with {@code gif} or {@code jpg}.
   */
  public static String videoPath(String shardName, String id, String extension) {
    return VIDEOS_DIR + "/" + shardName + "/" + id + "." + extension;
  }

  /** {@code tensors/<shardName>/<id>.safetensors}, relative. */
  public static String tensorsPath(String shardName, String id) {
    return TENSORS_DIR + "/" + shardName + "/" + id + "." + TENSORS_EXTENSION;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OutputLayout && ((OutputLayout) other).root.equals(root);
  }

  @Override
  public int hashCode() {
    return root.hashCode();
  }

  @Override
  public String toString() {
    return root;
  }
}
