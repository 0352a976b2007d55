package magicvideo.transforms.stages;

import java.io.IOException;
import magicvideo.transforms.io.AtomicOutputs;
import magicvideo.transforms.io.WrittenFile;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.ModelRef;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.prompts.AssignShards;
import magicvideo.transforms.prompts.PromptFailure;
import magicvideo.transforms.video.VideoEncoder;
import magicvideo.transforms.video.VideoPreviews;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Encodes each video (MP4/H.264 or WebM/VP9) and its preview, writes both under their final
 * names only when complete ({@link AtomicOutputs}), and emits its manifest line. CPU only.
 */
final class EncodeVideoFn extends DoFn<VideoBatch, ManifestEntry> {
  static final TupleTag<ManifestEntry> WRITTEN = new TupleTag<>() {};
  static final TupleTag<PromptFailure> FAILED = new TupleTag<>() {};

  private final StageConfig config;
  private final OutputConfig output;
  private final Distribution latency =
      Metrics.distribution(magicvideo.transforms.outputs.VideoMetrics.NAMESPACE, "encode_ms");
  private transient ModelRef model;
  private transient int keyframes;

  EncodeVideoFn(StageConfig config, OutputConfig output) {
    this.config = config;
    this.output = output;
  }

  @Setup
  public void setup() throws IOException {
    model = VideoOutputs.modelRef(config.model());
    keyframes = VideoOutputs.keyframes(config);
  }

  @ProcessElement
  public void process(@Element VideoBatch batch, MultiOutputReceiver out) {
    for (VideoWork w : batch.videos()) {
      long t0 = System.nanoTime();
      try {
        String shard = AssignShards.shardName(batch.shard());
        String videoPath = OutputLayout.videoPath(shard, w.request().getId(), output.format().extension());
        byte[] video = VideoEncoder.encode(w.frames(), output.format());
        WrittenFile written =
            AtomicOutputs.write(output.layout().resolve(videoPath), output.format().mimeType(), video);
        String previewPath = null;
        if (output.preview() != null) {
          previewPath = OutputLayout.videoPath(shard, w.request().getId(), output.preview().extension());
          AtomicOutputs.write(output.layout().resolve(previewPath), output.preview().mimeType(),
              VideoPreviews.encode(w.frames(), output.preview(), output.previewMaxSide()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        latency.update((long) (seconds * 1000));
        ManifestEntry entry = VideoOutputs.entry(w.timed("encode", seconds), config, model, keyframes)
            .setVideo(videoPath)
            .setPreview(previewPath)
            .setBytes(written.bytes())
            .setSha256(written.sha256())
            .build();
        StageFailures.done().inc();
        out.get(WRITTEN).output(entry);
      } catch (IOException | RuntimeException e) {
        out.get(FAILED).output(StageFailures.of(w.request(), "encode", StageFailures.WRITE_ERROR,
            StageFailures.describe(e)));
      }
    }
  }
}
