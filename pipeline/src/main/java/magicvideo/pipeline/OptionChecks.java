package magicvideo.pipeline;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import magicvideo.models.sampling.SamplerKind;
import magicvideo.transforms.hints.GpuHints;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunIds;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Checks a run's options before anything is loaded or launched, and reports every problem at once
 * in one message: a user who fixes one typo should not have to relaunch to find the next. Values
 * are checked first, then the filesystem: the prompts must match a file, or the {@code --from}
 * folder must hold a manifest (exactly one of the two is given); the output folder must be
 * writable (a marker file is created and deleted there), and must hold no earlier manifest unless
 * {@code --resume} (a second run would list its ids twice); the run id must not be taken; a model
 * directory other than {@value ModelLocator#DEMO} must hold a readable model.json.
 */
public final class OptionChecks {
  private static final String DATAFLOW_RUNNER = "DataflowRunner";

  private OptionChecks() {}

  /** Thrown with every problem found, one per line. */
  public static final class InvalidOptionsException extends IllegalArgumentException {
    private final List<String> problems;

    InvalidOptionsException(List<String> problems) {
      super("Invalid options:\n  - " + String.join("\n  - ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /**
   * Throws {@link InvalidOptionsException} listing every problem of {@code options}; {@link
   * FileSystems} must know the options ({@code FileSystems.setDefaultPipelineOptions}).
   */
  public static void check(MagicVideoOptions options) {
    List<String> problems = valueProblems(options);
    if (isBlank(options.getPrompts()) != isBlank(options.getFrom()) && !isBlank(options.getOutput())) {
      problems.addAll(fileProblems(options));
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(problems);
    }
  }

  /** Problems found from the values alone, without touching any file. */
  static List<String> valueProblems(MagicVideoOptions options) {
    List<String> problems = new ArrayList<>();
    if (isBlank(options.getPrompts()) && isBlank(options.getFrom())) {
      problems.add(
          "--prompts is missing: give the prompt file(s), e.g. --prompts=examples/prompts.txt,"
              + " or --from=DIR to continue an earlier --until run's tensors");
    } else if (!isBlank(options.getPrompts()) && !isBlank(options.getFrom())) {
      problems.add(
          "--prompts and --from exclude each other: --from="
              + options.getFrom()
              + " continues the prompts of that earlier run; drop one of them");
    }
    if (isBlank(options.getOutput())) {
      problems.add(
          "--output is missing: give the output folder, e.g. --output=/tmp/magicvideo-out");
    }
    try {
      SamplerKind.fromName(options.getSampler());
    } catch (IllegalArgumentException e) {
      problems.add("--sampler: " + e.getMessage());
    }
    checkChoice(problems, () -> Choices.videoFormat(options.getFormat()));
    checkChoice(problems, () -> Choices.previewFormat(options.getPreview()));
    checkChoice(problems, () -> Choices.untilStage(options.getUntil()));
    checkPositive(problems, "videosPerPrompt", options.getVideosPerPrompt());
    checkPositive(problems, "batchSize", options.getBatchSize());
    checkPositive(problems, "numShards", options.getNumShards());
    checkPositive(problems, "maxPromptChars", options.getMaxPromptChars());
    checkPositive(problems, "maxForwardPassesPerDevice", options.getMaxForwardPassesPerDevice());
    if (options.getRunSeed() < 0) {
      problems.add("--runSeed must be >= 0, got " + options.getRunSeed());
    }
    for (String problem : RunSettings.generation(options).problems()) {
      problems.add("--" + problem);
    }
    for (String problem : GpuHints.problems(options.getAccelerator())) {
      problems.add("--" + problem);
    }
    problems.addAll(remoteWorkerProblems(options));
    try {
      RunIds.checked(options.getRunId());
    } catch (IllegalArgumentException e) {
      problems.add("--runId: " + e.getMessage());
    }
    return problems;
  }

  private static List<String> fileProblems(MagicVideoOptions options) {
    List<String> problems = new ArrayList<>();
    if (isBlank(options.getFrom())) {
      String problem = matchProblem(options.getPrompts());
      if (problem != null) {
        problems.add("--prompts=" + options.getPrompts() + " " + problem);
      }
    } else {
      String manifests = OutputLayout.at(options.getFrom()).manifestPattern();
      String problem = matchProblem(manifests);
      if (problem != null) {
        problems.add(
            "--from="
                + options.getFrom()
                + " is not the output folder of an earlier run: "
                + manifests
                + " "
                + problem);
      }
    }
    OutputLayout layout = OutputLayout.at(options.getOutput());
    String writeProblem = writeProblem(layout);
    if (writeProblem != null) {
      problems.add(writeProblem);
    } else {
      problems.addAll(earlierRunProblems(layout, options));
    }
    if (!ModelLocator.DEMO.equals(options.getModel())) {
      try {
        ModelLocator.describe(options.getModel());
      } catch (IOException | IllegalArgumentException e) {
        problems.add("--model=" + options.getModel() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  /** Why {@code pattern} yields no file ("matches no file", "cannot be listed: ..."); null if it does. */
  private static String matchProblem(String pattern) {
    try {
      MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        return "matches no file";
      }
      return null;
    } catch (IOException | IllegalArgumentException e) {
      return "cannot be listed: " + e.getMessage();
    }
  }

  /** Creates and deletes a marker file in the output folder; null when both work. */
  private static String writeProblem(OutputLayout layout) {
    String marker = layout.resolve(".write-check-" + UUID.randomUUID());
    try {
      ResourceId resource = FileSystems.matchNewResource(marker, false);
      try (WritableByteChannel channel = FileSystems.create(resource, MimeTypes.BINARY)) {
        // empty: only whether the folder accepts a new file matters
      }
      FileSystems.delete(List.of(resource), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      return null;
    } catch (IOException | RuntimeException e) {
      return "--output=" + layout.root() + " is not writable: " + e;
    }
  }

  /**
   * Without {@code --resume}, an earlier manifest means the run would list its ids a second time;
   * with it, the run id must still be new, or this run's files would replace an earlier run's.
   */
  private static List<String> earlierRunProblems(OutputLayout layout, MagicVideoOptions options) {
    List<String> problems = new ArrayList<>();
    for (String pattern : List.of(layout.manifestPattern(), layout.failuresPattern())) {
      List<MatchResult.Metadata> files;
      try {
        MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
        files = match.status() == MatchResult.Status.OK ? match.metadata() : List.of();
      } catch (IOException e) {
        problems.add("cannot list " + pattern + ": " + e.getMessage());
        continue;
      }
      if (!options.getResume() && pattern.equals(layout.manifestPattern()) && !files.isEmpty()) {
        problems.add(
            "--output="
                + layout.root()
                + " already holds the manifest of an earlier run ("
                + files.get(0).resourceId()
                + "): add --resume to complete that run, or choose an"
                + " empty output folder");
      }
      for (MatchResult.Metadata file : files) {
        String name = file.resourceId().getFilename();
        if (name != null && OutputLayout.isFileOfRun(name, options.getRunId())) {
          problems.add(
              "--runId="
                  + options.getRunId()
                  + " is taken: "
                  + file.resourceId()
                  + " exists; leave --runId unset for a fresh one");
          return problems;
        }
      }
    }
    return problems;
  }

  /** Dataflow's workers run elsewhere: they cannot read or write the launcher's local paths. */
  private static List<String> remoteWorkerProblems(MagicVideoOptions options) {
    List<String> problems = new ArrayList<>();
    if (!DATAFLOW_RUNNER.equals(options.getRunner().getSimpleName())) {
      return problems;
    }
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("prompts", options.getPrompts());
    paths.put("from", options.getFrom());
    paths.put("output", options.getOutput());
    paths.put("model", options.getModel());
    for (Map.Entry<String, String> path : paths.entrySet()) {
      String value = path.getValue();
      if (!isBlank(value) && !value.contains("://")) {
        problems.add(
            "--"
                + path.getKey()
                + "="
                + value
                + " is local, but "
                + DATAFLOW_RUNNER
                + " workers cannot reach this machine's files: use a gs:// path");
      }
    }
    return problems;
  }

  private static void checkChoice(List<String> problems, Runnable parse) {
    try {
      parse.run();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  private static void checkPositive(List<String> problems, String option, int value) {
    if (value < 1) {
      problems.add("--" + option + " must be >= 1, got " + value);
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
