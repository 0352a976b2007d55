package magicvideo.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import magicvideo.transforms.outputs.ExistingOutputs;
import magicvideo.transforms.outputs.ModelRef;
import magicvideo.transforms.outputs.OutputLayout;
import org.apache.beam.sdk.io.FileSystems;

/**
 * What the launcher settles before it builds the graph: checked options with absolute paths, a
 * pinned run id, the model directory and its identity, and for {@code --resume} the ids already
 * complete. Everything here runs on the launcher, before any worker starts or model loads.
 *
 * @param modelDirectory the resolved {@code --model} (local path or gs://)
 * @param completeIds ids an earlier run completed; empty unless {@code --resume}
 * @param parameters the options as run.json records them ({@link RunParameters}), taken before the
 *     launcher adjusts runner settings for itself
 */
public record RunPlan(
    MagicVideoOptions options,
    OutputLayout layout,
    String modelDirectory,
    ModelRef model,
    Set<String> completeIds,
    Map<String, Object> parameters) {

  public String runId() {
    return options.getRunId();
  }

  /**
   * Checks the options ({@link OptionChecks}: throws one exception naming every problem), then
   * resolves the model and, for {@code --resume}, reads what earlier runs completed and drops their
   * stale manifest lines. Progress notes go to {@code log}.
   */
  public static RunPlan prepare(MagicVideoOptions options, PrintStream log) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    // Read once and set: a default computed again later (or on a worker) would differ.
    options.setRunId(options.getRunId());
    if (options.getPrompts() != null) {
      options.setPrompts(absoluteIfLocal(options.getPrompts()));
    }
    if (options.getOutput() != null) {
      options.setOutput(absoluteIfLocal(options.getOutput()));
    }
    OptionChecks.check(options);
    String modelDirectory = ModelLocator.resolve(options.getModel(), log);
    ModelRef model = ModelLocator.describe(modelDirectory);
    OutputLayout layout = OutputLayout.at(options.getOutput());
    Set<String> complete = Set.of();
    if (options.getResume()) {
      ExistingOutputs existing = ExistingOutputs.scan(layout);
      log.println(
          "Resume: "
              + existing.completeIds().size()
              + " videos complete in earlier runs; "
              + existing.staleLines()
              + " manifest lines without their file dropped.");
      existing.dropStaleLines();
      complete = existing.completeIds();
    }
    return new RunPlan(options, layout, modelDirectory, model, complete, RunParameters.of(options));
  }

  /**
   * A local path made absolute, so that workers in other directories (a Flink TaskManager) read the
   * same files; a URI such as gs://bucket/p is kept.
   */
  private static String absoluteIfLocal(String path) {
    return path.contains("://") ? path : Path.of(path).toAbsolutePath().normalize().toString();
  }
}
