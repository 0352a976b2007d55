package magicvideo.transforms.stages;

import java.io.IOException;
import magicvideo.transforms.io.AtomicOutputs;
import magicvideo.transforms.io.WrittenFile;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.VideoMetrics;
import magicvideo.transforms.video.VideoEncoder;
import magicvideo.transforms.video.VideoPreviews;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Encodes each video (MP4/H.264 or WebM/VP9) and its preview, writes both under their final
 * names only when complete ({@link AtomicOutputs}), and emits its manifest line. CPU only.
 */
final class EncodeVideoFn extends WriteOutputsFn {
  private final OutputConfig output;
  private final Distribution latency = Metrics.distribution(VideoMetrics.NAMESPACE, "encode_ms");

  EncodeVideoFn(StageConfig config, OutputConfig output) {
    super(config, "encode");
    this.output = output;
  }

  @Override
  ManifestEntry write(VideoWork w, String shard, ManifestEntry.Builder entry) throws IOException {
    long t0 = System.nanoTime();
    String id = w.request().getId();
    String videoPath = OutputLayout.videoPath(shard, id, output.format().extension());
    WrittenFile written = AtomicOutputs.write(output.layout().resolve(videoPath), output.format().mimeType(),
        VideoEncoder.encode(w.frames(), output.format()));
    String previewPath = null;
    if (output.preview() != null) {
      previewPath = OutputLayout.videoPath(shard, id, output.preview().extension());
      AtomicOutputs.write(output.layout().resolve(previewPath), output.preview().mimeType(),
          VideoPreviews.encode(w.frames(), output.preview(), output.previewMaxSide()));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    latency.update((long) (seconds * 1000));
    return entry.setStageSeconds(w.timed("encode", seconds).stageSeconds()).setVideo(videoPath).setPreview(previewPath)
        .setBytes(written.bytes()).setSha256(written.sha256()).build();
  }
}
