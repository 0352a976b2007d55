package magicvideo.transforms.stages;

import java.util.ArrayList;
import java.util.List;
import magicvideo.models.generate.Stage;
import magicvideo.transforms.prompts.PromptFailure;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The stages of {@link GenerateVideos} after {@code done}, for videos that already went through
 * it (their latents or frames loaded from an earlier run's tensors, {@link LoadTensors}). Videos
 * are batched per {@link VideoWork#shard()} as GenerateVideos batches prompts, then enter its chain
 * ({@link GenerateVideos#stagesAfter}); the output tags are GenerateVideos'.
 */
public final class ContinueVideos extends PTransform<PCollection<VideoWork>, PCollectionTuple> {
  private final GenerateVideos stages;
  private final Stage done;

  ContinueVideos(GenerateVideos stages, Stage done) {
    this.stages = stages;
    this.done = done;
  }

  @Override
  public PCollectionTuple expand(PCollection<VideoWork> videos) {
    PCollection<VideoBatch> batches = videos
        .apply("KeyByShard", WithKeys.<Integer, VideoWork>of(VideoWork::shard).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(VideoWork.class)))
        .apply("BatchPerShard", GroupIntoBatches.ofSize(stages.batchSize()))
        .apply("ToVideoBatch", ParDo.of(new ToVideoBatchFn()))
        .setCoder(SerializableCoder.of(VideoBatch.class));
    List<PCollection<PromptFailure>> failures = new ArrayList<>();
    return stages.stagesAfter(batches, done, failures);
  }

  /** A shard's group, as the element the GPU stages take. */
  private static final class ToVideoBatchFn extends DoFn<KV<Integer, Iterable<VideoWork>>, VideoBatch> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<VideoWork>> group, OutputReceiver<VideoBatch> out) {
      List<VideoWork> videos = new ArrayList<>();
      group.getValue().forEach(videos::add);
      out.output(new VideoBatch(group.getKey(), videos));
    }
  }
}
