package magicvideo.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import magicvideo.models.generate.Stage;
import magicvideo.transforms.outputs.ExistingOutputs;
import magicvideo.transforms.outputs.ModelRef;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.TensorOutputs;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the launcher settles before it builds the graph: checked options with absolute paths, a
 * pinned run id, the model directory and its identity, and for {@code --resume} the ids already
 * complete. Everything here runs on the launcher, before any worker starts or model loads.
 *
 * @param modelDirectory the resolved {@code --model} (local path or gs://)
 * @param completeIds ids an earlier run completed; empty unless {@code --resume}
 * @param from for {@code --from}, the earlier run's tensors and the stage that wrote them; null
 *     when the run starts from prompts
 * @param parameters the options as run.json records them ({@link RunParameters}), taken before the
 *     launcher adjusts runner settings for itself
 */
public record RunPlan(
    MagicVideoOptions options,
    OutputLayout layout,
    String modelDirectory,
    ModelRef model,
    Set<String> completeIds,
    @Nullable TensorOutputs from,
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
    if (options.getFrom() != null) {
      options.setFrom(absoluteIfLocal(options.getFrom()));
    }
    OptionChecks.check(options);
    TensorOutputs from = options.getFrom() == null ? null : scanFrom(options, log);
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
    return new RunPlan(
        options, layout, modelDirectory, model, complete, from, RunParameters.of(options));
  }

  /**
   * The tensors of {@code --from}; the run must have a stage left to do after theirs, or it would
   * only copy them.
   */
  private static TensorOutputs scanFrom(MagicVideoOptions options, PrintStream log) {
    TensorOutputs from;
    try {
      from = TensorOutputs.scan(OutputLayout.at(options.getFrom()));
    } catch (IOException e) {
      // an empty, mixed or unreadable --from folder is the user's to fix, like a missing file
      throw new OptionChecks.InvalidOptionsException(List.of(e.getMessage()));
    }
    Stage until = Choices.untilStage(options.getUntil());
    if (until != null && until.ordinal() <= from.stage().ordinal()) {
      throw new OptionChecks.InvalidOptionsException(
          List.of(
              "--until="
                  + until.configName()
                  + " is not after the stage of --from="
                  + options.getFrom()
                  + " ("
                  + from.stage().configName()
                  + "): nothing would be left to run; name a later stage or leave --until out"));
    }
    log.println(
        "From: "
            + from.entries().size()
            + " videos after "
            + from.stage().configName()
            + " in "
            + options.getFrom()
            + ".");
    return from;
  }

  /**
   * A local path made absolute, so that workers in other directories (a Flink TaskManager) read the
   * same files; a URI such as gs://bucket/p is kept.
   */
  private static String absoluteIfLocal(String path) {
    return path.contains("://") ? path : Path.of(path).toAbsolutePath().normalize().toString();
  }
}
