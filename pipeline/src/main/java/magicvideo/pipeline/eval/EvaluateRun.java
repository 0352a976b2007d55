package magicvideo.pipeline.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import magicvideo.models.VideoFrames;
import magicvideo.models.shapes.ShapesEvaluation;
import magicvideo.models.shapes.ShapesEvaluation.Goal;
import magicvideo.models.shapes.ShapesEvaluation.Group;
import magicvideo.models.shapes.ShapesEvaluation.Summary;
import magicvideo.transforms.io.AtomicOutputs;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.Manifests;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.video.VideoCodecException;
import magicvideo.transforms.video.VideoPreviews;
import magicvideo.transforms.video.VideoProbe;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code bin/magicvideo eval --output=DIR}: scores a finished run's videos against their prompts
 * with the shapes analysis, and writes {@code DIR/eval/eval.json} (every number, {@link
 * RunEvaluation}), {@code DIR/eval/eval.html} ({@link EvalPage}) and the page's frame strips
 * under {@code DIR/eval/frames/}.
 *
 * <pre>
 * manifest (every OUT/manifest/*.jsonl) -> for each video: read, decode, analyse, score,
 *   write a strip of 4 frames -> report -> eval.json, eval.html
 * </pre>
 *
 * <p>Runs in one process on the machine that calls it, through Beam's filesystems (local or
 * gs://): the analysis costs a few milliseconds per video, decoding a little more, so even
 * thousands of videos take minutes. Entries without a video (a run stopped with {@code --until})
 * and videos that cannot be read are listed as skipped, not counted; prompts that name no caption
 * of the shapes world are evaluated but left out of the accuracies.
 */
public final class EvaluateRun {
  /** The folder under the output folder that eval writes. */
  public static final String EVAL_DIR = "eval";

  public static final String JSON_FILE = EVAL_DIR + "/eval.json";
  public static final String HTML_FILE = EVAL_DIR + "/eval.html";

  /** Frames per strip: first, a third, two thirds, last: enough to see the motion. */
  private static final int STRIP_FRAMES = 4;

  /** Strip frames are shrunk to this side; 128 is the demo model's full output. */
  private static final int STRIP_MAX_SIDE = 128;

  private static final int PROGRESS_EVERY = 100;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EvaluateRun() {}

  /** Exit status 0 when the run was evaluated, 1 when it could not be, 2 for invalid flags. */
  public static void main(String[] args) {
    PipelineOptionsFactory.register(EvaluateOptions.class);
    EvaluateOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(EvaluateOptions.class);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      run(options, System.out);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("eval failed: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Evaluates the run in {@code options.getOutput()}, writes eval/ there, prints a summary. */
  public static RunEvaluation run(EvaluateOptions options, PrintStream out) throws IOException {
    if (options.getSamples() < 0) {
      throw new IllegalArgumentException("--samples must be >= 0, got " + options.getSamples());
    }
    FileSystems.setDefaultPipelineOptions(options);
    OutputLayout layout = OutputLayout.at(options.getOutput());
    List<ManifestEntry> entries = Manifests.read(layout);
    if (entries.isEmpty()) {
      throw new IOException("no manifest entries in " + layout.manifestPattern()
          + ": is " + layout + " the output folder of a finished run?");
    }
    out.printf("Evaluating %d manifest entries of %s%n", entries.size(), layout);
    ShapesEvaluation evaluation = new ShapesEvaluation();
    List<RunEvaluation.Skipped> skipped = new ArrayList<>();
    Map<String, RunEvaluation.VideoFiles> files = new TreeMap<>();
    for (ManifestEntry entry : entries) {
      if (entry.getVideo() == null) {
        skipped.add(new RunEvaluation.Skipped(entry.getId(), entry.getPrompt(),
            "no video: the run stopped before encoding (" + entry.getTensors() + ")"));
        continue;
      }
      VideoFrames frames;
      try {
        frames = VideoProbe.decode(AtomicOutputs.readBytes(layout.resolve(entry.getVideo())));
      } catch (IOException | VideoCodecException e) {
        skipped.add(new RunEvaluation.Skipped(entry.getId(), entry.getPrompt(),
            "cannot read " + entry.getVideo() + ": " + e.getMessage()));
        continue;
      }
      evaluation.add(entry.getId(), entry.getPrompt(), frames);
      String strip = files.size() < options.getSamples() ? writeStrip(layout, entry, frames) : null;
      files.put(entry.getId(), new RunEvaluation.VideoFiles(entry.getVideo(), strip));
      if (files.size() % PROGRESS_EVERY == 0) {
        out.printf("  %d videos evaluated%n", files.size());
      }
    }
    RunEvaluation result = new RunEvaluation(
        layout.root(), entries.size(), skipped, files, evaluation.report());
    AtomicOutputs.write(layout.resolve(JSON_FILE), "application/json",
        JSON.writeValueAsBytes(result));
    AtomicOutputs.write(layout.resolve(HTML_FILE), "text/html; charset=utf-8",
        new EvalPage(result).render().getBytes(StandardCharsets.UTF_8));
    printSummary(result, layout, out);
    return result;
  }

  /** Writes {@code eval/frames/<id>.png}; returns its path relative to the output folder. */
  private static String writeStrip(OutputLayout layout, ManifestEntry entry, VideoFrames frames)
      throws IOException {
    int[] picked = new int[STRIP_FRAMES];
    for (int i = 0; i < STRIP_FRAMES; i++) {
      picked[i] = Math.round((frames.frames() - 1) * i / (float) (STRIP_FRAMES - 1));
    }
    String strip = EVAL_DIR + "/frames/" + entry.getId() + ".png";
    AtomicOutputs.write(layout.resolve(strip), "image/png",
        VideoPreviews.framesPng(frames, picked, STRIP_MAX_SIDE));
    return strip;
  }

  private static void printSummary(RunEvaluation result, OutputLayout layout, PrintStream out) {
    ShapesEvaluation.Report report = result.report();
    out.printf("%d videos evaluated, %d not shapes prompts, %d skipped%n",
        report.videos().size(), report.notShapesPrompts(), result.skipped().size());
    out.println("                       videos  colour   shape  direction  all three");
    for (Group group : Group.values()) {
      Summary s = report.summary(group);
      out.printf(Locale.ROOT, "  %-20s %6d  %6s  %6s  %9s  %9s%n", group, s.videos(),
          BarChart.percent(s.colour()), BarChart.percent(s.shape()),
          BarChart.percent(s.direction()), BarChart.percent(s.allThree()));
    }
    for (Goal goal : report.goals()) {
      out.printf(Locale.ROOT, "  goal %s %s >= %s: %s (%s)%n", goal.target().group(),
          goal.target().measure(), BarChart.percent(goal.target().target()),
          BarChart.percent(goal.measured()), goal.status());
    }
    out.printf("Wrote %s and %s%n", layout.resolve(JSON_FILE), layout.resolve(HTML_FILE));
  }
}
