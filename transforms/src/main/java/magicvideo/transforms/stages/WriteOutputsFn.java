package magicvideo.transforms.stages;

import java.io.IOException;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.ModelRef;
import magicvideo.transforms.prompts.AssignShards;
import magicvideo.transforms.prompts.PromptFailure;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The last step of a video: write its files and emit its manifest line, or its failure record if
 * writing fails. Subclasses say what is written (an encoded video, or tensors for --until runs).
 */
abstract class WriteOutputsFn extends DoFn<VideoBatch, ManifestEntry> {
  static final TupleTag<ManifestEntry> WRITTEN = new TupleTag<>() {};
  static final TupleTag<PromptFailure> FAILED = new TupleTag<>() {};

  private final StageConfig config;
  private final String stage;
  private transient ModelRef model;
  private transient int keyframes;

  WriteOutputsFn(StageConfig config, String stage) {
    this.config = config;
    this.stage = stage;
  }

  /** Writes {@code w}'s files under {@code shard} and returns its manifest line. */
  abstract ManifestEntry write(VideoWork w, String shard, ManifestEntry.Builder entry) throws IOException;

  @Setup
  public void setup() throws IOException {
    model = VideoOutputs.modelRef(config.model());
    keyframes = VideoOutputs.keyframes(config);
  }

  @ProcessElement
  public void process(@Element VideoBatch batch, MultiOutputReceiver out) {
    String shard = AssignShards.shardName(batch.shard());
    for (VideoWork w : batch.videos()) {
      try {
        ManifestEntry entry = write(w, shard, VideoOutputs.entry(w, config, model, keyframes));
        StageFailures.done().inc();
        out.get(WRITTEN).output(entry);
      } catch (IOException | RuntimeException e) {
        out.get(FAILED).output(StageFailures.of(w.request(), stage, StageFailures.WRITE_ERROR,
            StageFailures.describe(e)));
      }
    }
  }
}
