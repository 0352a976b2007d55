package magicvideo.transforms.stages;

import java.util.ArrayList;
import java.util.List;
import magicvideo.models.generate.Stage;
import magicvideo.transforms.hints.GpuHints;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.prompts.AssignShards;
import magicvideo.transforms.prompts.PromptFailure;
import magicvideo.transforms.prompts.PromptRequest;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * MagicVideo generation as named steps, one per stage of ARCHITECTURE.md section 1:
 * AssignShards -> BatchPerShard -> GenerateKeyframes -> InterpolateLatents -> DecodeVideo ->
 * UpscaleVideo -> EncodeVideo, or WriteTensors after the stage named by {@code until}. The GPU
 * stages carry the accelerator resource hint so Dataflow places them on GPU workers. {@link
 * #after(Stage)} enters the same chain later, for videos whose tensors an earlier run wrote.
 *
 * <p>Output: {@link #MANIFEST} (one entry per video written) and {@link #FAILURES} (one record per
 * video that failed, with its stage and reason); together they account for every input.
 */
public final class GenerateVideos extends PTransform<PCollection<PromptRequest>, PCollectionTuple> {
  public static final TupleTag<ManifestEntry> MANIFEST = new TupleTag<>() {};
  public static final TupleTag<PromptFailure> FAILURES = new TupleTag<>() {};

  private final StageConfig config;
  private final OutputConfig output;
  private final int numShards;
  private final int batchSize;
  private final Stage until;
  private final boolean upscale;
  private final String accelerator;

  private GenerateVideos(StageConfig config, OutputConfig output, int numShards, int batchSize, Stage until,
      boolean upscale, String accelerator) {
    this.config = config;
    this.output = output;
    this.numShards = numShards;
    this.batchSize = batchSize;
    this.until = until;
    this.upscale = upscale;
    this.accelerator = accelerator;
  }

  /** Every stage, 4 shards, batches of 1, no accelerator hint. */
  public static GenerateVideos with(StageConfig config, OutputConfig output) {
    return new GenerateVideos(config, output, 4, 1, null, true, null);
  }

  public GenerateVideos withSharding(int shards, int batch) {
    if (shards < 1 || batch < 1) {
      throw new IllegalArgumentException("numShards and batchSize must be >= 1, got " + shards + " and " + batch);
    }
    return new GenerateVideos(config, output, shards, batch, until, upscale, accelerator);
  }

  /** Stops after {@code stage} and writes its tensors instead of videos; null runs every stage. */
  public GenerateVideos until(Stage stage) {
    return new GenerateVideos(config, output, numShards, batchSize, stage, upscale, accelerator);
  }

  /** Whether finished videos go through super-resolution (on by default). */
  public GenerateVideos withUpscale(boolean on) {
    return new GenerateVideos(config, output, numShards, batchSize, until, on, accelerator);
  }

  /** Beam accelerator resource hint for the GPU stages, e.g. {@code type:nvidia-l4;count:1;install-nvidia-driver}. */
  public GenerateVideos withAccelerator(String hint) {
    return new GenerateVideos(config, output, numShards, batchSize, until, upscale, hint);
  }

  /**
   * The stages after {@code done}, for videos whose earlier stages ran in another job ({@code
   * --from}): the same chain, entered later, with this transform's sharding, stop and hints.
   */
  public ContinueVideos after(Stage done) {
    return new ContinueVideos(this, done);
  }

  int batchSize() {
    return batchSize;
  }

  @Override
  public PCollectionTuple expand(PCollection<PromptRequest> requests) {
    List<PCollection<PromptFailure>> failures = new ArrayList<>();
    PCollectionTuple keyframes = requests
        .apply("AssignShards", AssignShards.into(numShards))
        .apply("BatchPerShard", GroupIntoBatches.ofSize(batchSize))
        .apply("GenerateKeyframes", gpu(new GenerateKeyframesFn(config)));
    return stagesAfter(batches(keyframes, failures), Stage.KEYFRAMES, failures);
  }

  /**
   * The one definition of the chain after {@code done}: the remaining GPU stages (up to {@code
   * until}), then EncodeVideo or WriteTensors. {@code failures} gathers each step's failures.
   */
  PCollectionTuple stagesAfter(PCollection<VideoBatch> batches, Stage done, List<PCollection<PromptFailure>> failures) {
    PCollection<VideoBatch> current = batches;
    Stage last = done;
    if (runsAfter(Stage.INTERPOLATE, done)) {
      current = batches(current.apply("InterpolateLatents", gpu(new InterpolateLatentsFn(config))), failures);
      last = Stage.INTERPOLATE;
    }
    if (runsAfter(Stage.DECODE, done)) {
      current = batches(current.apply("DecodeVideo", gpu(new DecodeVideoFn(config))), failures);
      last = Stage.DECODE;
    }
    if (runsAfter(Stage.UPSCALE, done) && upscale) {
      current = batches(current.apply("UpscaleVideo", gpu(new UpscaleVideoFn(config))), failures);
      last = Stage.UPSCALE;
    }
    PCollectionTuple written;
    if (until == null) {
      written = current.apply("EncodeVideo", ParDo.of(new EncodeVideoFn(config, output))
          .withOutputTags(WriteOutputsFn.WRITTEN, TupleTagList.of(WriteOutputsFn.FAILED)));
    } else {
      written = current.apply("WriteTensors", ParDo.of(new WriteTensorsFn(config, output.layout(), last.configName()))
          .withOutputTags(WriteOutputsFn.WRITTEN, TupleTagList.of(WriteOutputsFn.FAILED)));
    }
    failures.add(written.get(WriteOutputsFn.FAILED));
    return tuple(written.get(WriteOutputsFn.WRITTEN), failures);
  }

  private boolean runsAfter(Stage stage, Stage done) {
    return stage.ordinal() > done.ordinal() && runs(stage);
  }

  private boolean runs(Stage stage) {
    return until == null || stage.ordinal() <= until.ordinal();
  }

  private <InputT> PTransform<PCollection<? extends InputT>, PCollectionTuple> gpu(GpuStageFn<InputT> fn) {
    ParDo.MultiOutput<InputT, VideoBatch> parDo =
        ParDo.of((DoFn<InputT, VideoBatch>) fn).withOutputTags(GpuStageFn.DONE, TupleTagList.of(GpuStageFn.FAILED));
    parDo.setResourceHints(GpuHints.forAccelerator(accelerator));
    return parDo;
  }

  private static PCollection<VideoBatch> batches(PCollectionTuple stage, List<PCollection<PromptFailure>> failures) {
    failures.add(stage.get(GpuStageFn.FAILED));
    return stage.get(GpuStageFn.DONE).setCoder(SerializableCoder.of(VideoBatch.class));
  }

  private static PCollectionTuple tuple(PCollection<ManifestEntry> manifest,
      List<PCollection<PromptFailure>> failures) {
    PCollection<PromptFailure> allFailures = PCollectionList.of(failures).apply("CollectStageFailures", Flatten.pCollections());
    return PCollectionTuple.of(MANIFEST, manifest).and(FAILURES, allFailures);
  }
}
