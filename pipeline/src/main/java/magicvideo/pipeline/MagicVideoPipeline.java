package magicvideo.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import magicvideo.transforms.outputs.Gallery;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.ManifestEntryCoder;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import magicvideo.transforms.outputs.SelectPending;
import magicvideo.transforms.outputs.Versions;
import magicvideo.transforms.outputs.WriteFailures;
import magicvideo.transforms.outputs.WriteManifest;
import magicvideo.transforms.prompts.PromptFailure;
import magicvideo.transforms.prompts.PromptRequest;
import magicvideo.transforms.prompts.ReadPrompts;
import magicvideo.transforms.stages.GenerateVideos;
import magicvideo.transforms.stages.LoadTensors;
import magicvideo.transforms.stages.OutputConfig;
import magicvideo.transforms.stages.StageConfig;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.DataflowTemplateJob;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The MagicVideo job: prompts in; videos, manifest, failures, run.json and a gallery out.
 *
 * <pre>
 * main(args) -> run(options) -> RunPlan.prepare (checks, model, resume)
 *                            -> buildGraph(pipeline, plan) -> submit, progress
 *                            -> run.json, index.html
 * </pre>
 *
 * <p>Runners: DirectRunner (default); {@code --runner=FlinkRunner --flinkMaster=[local]} for an
 * embedded Flink cluster, from {@code java -cp} or the fat jar ({@code mvn exec:java} cannot start
 * Flink); {@code --runner=DataflowRunner} with {@code --project --region --tempLocation} and gs://
 * paths, which with {@code --templateLocation} (a Flex Template launch) writes the job graph for
 * Dataflow to run instead of running it (see templates/dataflow/).
 */
public final class MagicVideoPipeline {
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  /** The run.json state of a template launch, whose job Dataflow starts after the launcher ends. */
  public static final String LAUNCHED = "LAUNCHED";

  /** Previews are for the gallery's 256-pixel cards; full-size GIFs would outweigh the videos. */
  public static final int PREVIEW_MAX_SIDE = 256;

  private MagicVideoPipeline() {}

  /**
   * Exit status 0 when the job is DONE (for a template launch: when Dataflow has the job graph), 1
   * when it ended otherwise, 2 for invalid options.
   */
  public static void main(String[] args) throws IOException {
    MagicVideoOptions options;
    try {
      options = parseOptions(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      PipelineResult result = run(options, System.out);
      System.exit(isTemplate(result) || result.getState() == PipelineResult.State.DONE ? 0 : 1);
    } catch (OptionChecks.InvalidOptionsException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  /**
   * The options of a launch: the command line over the options of its {@code --config} file, if
   * it names one ({@link ConfigArgs}), parsed and validated by Beam. Throws {@link
   * IllegalArgumentException} naming what is wrong and where.
   */
  public static MagicVideoOptions parseOptions(String... args) {
    PipelineOptionsFactory.register(MagicVideoOptions.class);
    return PipelineOptionsFactory.fromArgs(ConfigArgs.expand(args))
        .withValidation()
        .as(MagicVideoOptions.class);
  }

  /** {@link #run(MagicVideoOptions, PrintStream)} reporting on standard output. */
  public static PipelineResult run(MagicVideoOptions options) throws IOException {
    return run(options, System.out);
  }

  /**
   * Checks the options, runs the job to its end with progress lines on {@code out}, then writes
   * {@code OUT/run.json} and {@code OUT/index.html}. Invalid options throw {@link
   * OptionChecks.InvalidOptionsException} before anything runs. A job that fails still gets its run
   * record (state FAILED) and gallery before the failure is rethrown.
   */
  public static PipelineResult run(MagicVideoOptions options, PrintStream out) throws IOException {
    RunPlan plan = RunPlan.prepare(options, out);
    if (options.getRunner() == DirectRunner.class) {
      DirectRunnerSettings.apply(options);
    }
    Pipeline pipeline = Pipeline.create(options);
    buildGraph(pipeline, plan);
    out.printf(
        "Run %s: %s -> %s on %s, model %s %s%n",
        plan.runId(),
        plan.from() == null ? options.getPrompts() : "tensors of " + options.getFrom(),
        plan.layout(),
        options.getRunner().getSimpleName(),
        plan.model().name(),
        plan.model().version());

    Instant started = Instant.now();
    ProgressReporter progress = ProgressReporter.start(out, PROGRESS_INTERVAL);
    PipelineResult result;
    try {
      result = pipeline.run();
    } catch (RuntimeException failure) {
      throw recordFailure(plan, started, progress, out, failure);
    }
    if (isTemplate(result)) {
      progress.stop();
      recordLaunch(plan, started, out);
      return result;
    }
    PipelineResult.State state;
    try {
      progress.attach(result);
      state = result.waitUntilFinish();
    } catch (RuntimeException failure) {
      throw recordFailure(plan, started, progress, out, failure);
    }
    finish(plan, started, state, JobCounters.query(result.metrics()), progress, out);
    return result;
  }

  /**
   * Whether the runner wrote the job graph instead of running it: DataflowRunner with {@code
   * --templateLocation}, which a Flex Template launcher sets. Dataflow then starts the job itself;
   * the result has no state, metrics or job to wait for (each throws).
   */
  private static boolean isTemplate(PipelineResult result) {
    return result instanceof DataflowTemplateJob;
  }

  /**
   * run.json for a template launch, with state {@value #LAUNCHED}: the launcher exits once Dataflow
   * has the graph, long before the job ends, so this is the record of the run's parameters, model
   * and versions (what a rerun needs). The job's end state and counters are Dataflow's to show; no
   * gallery is written.
   */
  private static void recordLaunch(RunPlan plan, Instant started, PrintStream out)
      throws IOException {
    new RunRecord(
            plan.runId(),
            LAUNCHED,
            started,
            Instant.now(),
            plan.parameters(),
            plan.model(),
            Versions.current(),
            Map.of())
        .writeTo(plan.layout());
    out.println(
        "Job graph written to "
            + plan.options().as(DataflowPipelineOptions.class).getTemplateLocation()
            + "; Dataflow runs the job (follow it in the Dataflow console). Outputs in "
            + plan.layout().root()
            + "; parameters in "
            + plan.layout().runRecord());
  }

  /** Writes the record of a failed job (run.json, gallery); returns {@code failure} to rethrow. */
  private static RuntimeException recordFailure(
      RunPlan plan,
      Instant started,
      ProgressReporter progress,
      PrintStream out,
      RuntimeException failure) {
    try {
      finish(plan, started, PipelineResult.State.FAILED, new JobCounters(Map.of()), progress, out);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /** The summary line, then run.json and the gallery, which also reflect a failed job. */
  private static void finish(
      RunPlan plan,
      Instant started,
      PipelineResult.State state,
      JobCounters counters,
      ProgressReporter progress,
      PrintStream out)
      throws IOException {
    progress.finish(state, counters);
    RunRecord record =
        new RunRecord(
            plan.runId(),
            state.name(),
            started,
            Instant.now(),
            plan.parameters(),
            plan.model(),
            Versions.current(),
            counters.byName());
    record.writeTo(plan.layout());
    Gallery.write(plan.layout(), record);
    out.println("Outputs in " + plan.layout().root() + "; gallery: " + plan.layout().gallery());
  }

  /**
   * Applies the job's steps to {@code pipeline}: read and validate prompts (or, with {@code
   * --from}, an earlier run's tensors), drop what an earlier run into the output completed,
   * generate, write the manifest and failures.
   */
  public static void buildGraph(Pipeline pipeline, RunPlan plan) {
    PCollectionTuple videos;
    PCollection<PromptFailure> inputFailures;
    if (plan.from() == null) {
      PCollectionTuple prompts = readPrompts(pipeline, plan);
      inputFailures = prompts.get(ReadPrompts.FAILURES);
      videos = prompts.get(ReadPrompts.REQUESTS).apply("GenerateVideos", generateVideos(plan));
    } else {
      PCollectionTuple loaded = loadTensors(pipeline, plan);
      inputFailures = loaded.get(LoadTensors.FAILURES);
      videos =
          loaded
              .get(LoadTensors.VIDEOS)
              .apply("ContinueVideos", generateVideos(plan).after(plan.from().stage()));
    }
    videos
        .get(GenerateVideos.MANIFEST)
        .apply("WriteManifest", WriteManifest.to(plan.layout(), plan.runId()));
    PCollectionList.of(inputFailures)
        .and(videos.get(GenerateVideos.FAILURES))
        .apply("CollectFailures", Flatten.pCollections())
        .apply("WriteFailures", WriteFailures.to(plan.layout(), plan.runId()));
  }

  /** Requests from the prompt files, less those already complete, with the default negative prompt. */
  private static PCollectionTuple readPrompts(Pipeline pipeline, RunPlan plan) {
    MagicVideoOptions options = plan.options();
    PCollectionTuple prompts =
        pipeline.apply(
            "ReadPrompts",
            ReadPrompts.from(options.getPrompts())
                .withRunSeed(options.getRunSeed())
                .withVideosPerPrompt(options.getVideosPerPrompt())
                .withMaxPromptChars(options.getMaxPromptChars()));
    PCollection<PromptRequest> pending =
        prompts
            .get(ReadPrompts.REQUESTS)
            .apply("SelectPending", SelectPending.skipping(plan.completeIds()));
    if (!options.getNegativePrompt().isEmpty()) {
      pending =
          pending.apply(
              "DefaultNegativePrompt", new DefaultNegativePrompt(options.getNegativePrompt()));
    }
    return PCollectionTuple.of(ReadPrompts.REQUESTS, pending)
        .and(ReadPrompts.FAILURES, prompts.get(ReadPrompts.FAILURES));
  }

  /**
   * The {@code --from} folder's videos, less those already complete in the output. Their
   * negative prompts are the ones their keyframes were made with, so no default applies. The
   * entries travel in the job graph (about 1 KB each): fine for tens of thousands of videos.
   */
  private static PCollectionTuple loadTensors(Pipeline pipeline, RunPlan plan) {
    List<ManifestEntry> pending = new ArrayList<>();
    for (ManifestEntry entry : plan.from().entries()) {
      if (!plan.completeIds().contains(entry.getId())) {
        pending.add(entry);
      }
    }
    return pipeline
        .apply("ReadTensorsManifest", Create.of(pending).withCoder(ManifestEntryCoder.of()))
        .apply(
            "LoadTensors",
            LoadTensors.from(
                OutputLayout.at(plan.options().getFrom()),
                plan.from().stage(),
                plan.options().getNumShards()));
  }

  /** The generation stages, configured from the options. */
  private static GenerateVideos generateVideos(RunPlan plan) {
    MagicVideoOptions options = plan.options();
    OutputConfig output =
        new OutputConfig(
            plan.layout(),
            Choices.videoFormat(options.getFormat()),
            Choices.previewFormat(options.getPreview()),
            PREVIEW_MAX_SIDE);
    return GenerateVideos.with(
            new StageConfig(
                plan.modelDirectory(),
                RunSettings.generation(options),
                options.getMaxForwardPassesPerDevice()),
            output)
        .withSharding(options.getNumShards(), options.getBatchSize())
        .until(Choices.untilStage(options.getUntil()))
        .withAccelerator(options.getAccelerator());
  }
}
