package magicvideo.transforms.stages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import magicvideo.models.VideoFrames;
import magicvideo.models.io.SafeTensors;
import magicvideo.models.io.Tensor;
import magicvideo.models.io.TensorDType;
import magicvideo.transforms.io.AtomicOutputs;
import magicvideo.transforms.io.WrittenFile;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.ModelRef;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.prompts.AssignShards;
import magicvideo.transforms.prompts.PromptFailure;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * For a run stopped with {@code --until}: writes each video's tensors as one safetensors file
 * ({@code latents} [F, 4, h, w] float32 after keyframes/interpolation, or {@code frames}
 * [F, H, W, 3] float16 0..255 after decoding/upscaling, exact for bytes) and lists it in the
 * manifest. Latent datasets are what many training jobs consume.
 */
final class WriteTensorsFn extends DoFn<VideoBatch, ManifestEntry> {
  static final TupleTag<ManifestEntry> WRITTEN = new TupleTag<>() {};
  static final TupleTag<PromptFailure> FAILED = new TupleTag<>() {};

  private final StageConfig config;
  private final OutputLayout layout;
  private final String stage;
  private transient ModelRef model;
  private transient int keyframes;

  WriteTensorsFn(StageConfig config, OutputLayout layout, String stage) {
    this.config = config;
    this.layout = layout;
    this.stage = stage;
  }

  @Setup
  public void setup() throws IOException {
    model = VideoOutputs.modelRef(config.model());
    keyframes = VideoOutputs.keyframes(config);
  }

  @ProcessElement
  public void process(@Element VideoBatch batch, MultiOutputReceiver out) {
    for (VideoWork w : batch.videos()) {
      try {
        String path = OutputLayout.tensorsPath(AssignShards.shardName(batch.shard()), w.request().getId());
        WrittenFile written = AtomicOutputs.write(layout.resolve(path), "application/octet-stream",
            safetensors(w));
        StageFailures.done().inc();
        out.get(WRITTEN).output(VideoOutputs.entry(w, config, model, keyframes)
            .setTensors(path).setBytes(written.bytes()).setSha256(written.sha256()).build());
      } catch (IOException | RuntimeException e) {
        out.get(FAILED).output(StageFailures.of(w.request(), stage, StageFailures.WRITE_ERROR,
            StageFailures.describe(e)));
      }
    }
  }

  private byte[] safetensors(VideoWork w) throws IOException {
    Map<String, String> meta = Map.of("id", w.request().getId(), "stage", stage,
        "seed", Long.toString(w.request().getSeed()));
    Path tmp = Files.createTempFile("magicvideo-tensors", ".safetensors");
    try {
      if (w.frames() != null) {
        VideoFrames f = w.frames();
        float[] values = new float[f.rgb().length];
        for (int i = 0; i < values.length; i++) {
          values[i] = f.rgb()[i] & 0xff;
        }
        SafeTensors.write(tmp, List.of(new Tensor("frames", new long[] {f.frames(), f.height(), f.width(), 3}, values)),
            meta, TensorDType.F16);
      } else {
        long[] shape = w.latents().shape().getShape();
        SafeTensors.write(tmp, List.of(new Tensor("latents", shape, w.latents().data())), meta, TensorDType.F32);
      }
      return Files.readAllBytes(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
