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
import magicvideo.transforms.outputs.OutputLayout;

/**
 * For a run stopped with {@code --until}: writes each video's tensors as one safetensors file
 * ({@code latents} [F, 4, h, w] float32 after keyframes/interpolation, or {@code frames}
 * [F, H, W, 3] float16 0..255 after decoding/upscaling, exact for bytes) and lists it in the
 * manifest. Latent datasets are what many training jobs consume.
 */
final class WriteTensorsFn extends WriteOutputsFn {
  private final OutputLayout layout;
  private final String stage;

  WriteTensorsFn(StageConfig config, OutputLayout layout, String stage) {
    super(config, stage);
    this.layout = layout;
    this.stage = stage;
  }

  @Override
  ManifestEntry write(VideoWork w, String shard, ManifestEntry.Builder entry) throws IOException {
    String path = OutputLayout.tensorsPath(shard, w.request().getId());
    WrittenFile written = AtomicOutputs.write(layout.resolve(path), "application/octet-stream", safetensors(w));
    return entry.setTensors(path).setBytes(written.bytes()).setSha256(written.sha256()).build();
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
