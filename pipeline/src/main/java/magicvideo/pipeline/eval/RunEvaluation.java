package magicvideo.pipeline.eval;

import java.util.List;
import java.util.Map;
import magicvideo.models.shapes.ShapesEvaluation;

/**
 * What {@code eval} found in an output folder: the content of {@code eval/eval.json}.
 *
 * @param output the output folder evaluated
 * @param manifestEntries the entries its manifest lists
 * @param skipped entries that could not be evaluated (no video, or a video that cannot be read)
 * @param files per evaluated id, its video and frame strip, as paths relative to {@code output}
 * @param report the shapes evaluation of every evaluated video
 */
public record RunEvaluation(
    String output,
    int manifestEntries,
    List<Skipped> skipped,
    Map<String, VideoFiles> files,
    ShapesEvaluation.Report report) {

  /** A manifest entry left out, and why. */
  public record Skipped(String id, String prompt, String reason) {}

  /**
   * @param video the video, relative to the output folder
   * @param frames its strip of sample frames under {@code eval/frames/}; null when the page shows
   *     no strip for it
   */
  public record VideoFiles(String video, String frames) {}
}
