package magicvideo.transforms.stages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.LatentClip;
import magicvideo.models.generate.Stage;
import magicvideo.models.io.SafeTensorsReader;
import magicvideo.models.io.Tensor;
import magicvideo.transforms.io.AtomicOutputs;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.prompts.AssignShards;
import magicvideo.transforms.prompts.PromptFailure;
import magicvideo.transforms.prompts.PromptRequest;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Manifest entries of an earlier {@code --until} run in; the videos they describe out, as {@link
 * VideoWork} ready for {@link GenerateVideos#after(Stage)}: the request rebuilt from the entry, the
 * latents or frames read from its tensors file, its shard recomputed for this run's shard count
 * (as {@link AssignShards} would), and the earlier stages' seconds kept for the new manifest.
 *
 * <p>A file that cannot be read, or whose {@code stage} or {@code id} metadata is not what the
 * manifest says, fails its video alone ({@link #FAILURES}, stage {@value #STAGE}).
 */
public final class LoadTensors extends PTransform<PCollection<ManifestEntry>, PCollectionTuple> {
  public static final TupleTag<VideoWork> VIDEOS = new TupleTag<>() {};
  public static final TupleTag<PromptFailure> FAILURES = new TupleTag<>() {};

  /** The stage name of loading failures. */
  public static final String STAGE = "load";

  private final OutputLayout from;
  private final Stage stage;
  private final int numShards;

  private LoadTensors(OutputLayout from, Stage stage, int numShards) {
    this.from = from;
    this.stage = stage;
    this.numShards = numShards;
  }

  /** Tensors under {@code from} written after {@code stage}, sharded into {@code numShards}. */
  public static LoadTensors from(OutputLayout from, Stage stage, int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be >= 1, got " + numShards);
    }
    return new LoadTensors(from, stage, numShards);
  }

  @Override
  public PCollectionTuple expand(PCollection<ManifestEntry> entries) {
    PCollectionTuple loaded = entries.apply("ReadTensorsFiles",
        ParDo.of(new LoadTensorsFn(from, stage, numShards)).withOutputTags(VIDEOS, TupleTagList.of(FAILURES)));
    loaded.get(VIDEOS).setCoder(SerializableCoder.of(VideoWork.class));
    return loaded;
  }

  /** The request a prompt row made, as its manifest entry recorded it; source: the tensors file. */
  static PromptRequest request(ManifestEntry e, String tensorsFile) {
    PromptRequest.Builder r = PromptRequest.builder()
        .setId(e.getId())
        .setPrompt(e.getPrompt())
        .setNegativePrompt(e.getNegativePrompt())
        .setSeed(e.getSeed())
        .setSource(tensorsFile)
        .setLine(0)
        .setExtraJson(e.getExtraJson())
        // the keyframes were sampled with these; the new manifest must say so whatever this run's flags
        .setSteps(e.getSteps())
        .setGuidanceScale(e.getGuidance())
        .setTokensDropped(e.getTokensDropped());
    if (e.getFps() == Math.rint(e.getFps())) {
      r.setFps((int) e.getFps());
    }
    return r.build();
  }

  private static final class LoadTensorsFn extends DoFn<ManifestEntry, VideoWork> {
    private final OutputLayout from;
    private final Stage stage;
    private final int numShards;

    LoadTensorsFn(OutputLayout from, Stage stage, int numShards) {
      this.from = from;
      this.stage = stage;
      this.numShards = numShards;
    }

    @ProcessElement
    public void process(@Element ManifestEntry entry, MultiOutputReceiver out) {
      String file = from.resolve(entry.getTensors());
      PromptRequest request = request(entry, file);
      try {
        VideoWork loaded = read(file, entry, request);
        out.get(VIDEOS).output(loaded);
      } catch (IOException | RuntimeException e) {
        out.get(FAILURES).output(StageFailures.of(request, STAGE, StageFailures.LOAD_ERROR,
            file + ": " + StageFailures.describe(e)));
      }
    }

    private VideoWork read(String file, ManifestEntry entry, PromptRequest request) throws IOException {
      // SafeTensorsReader reads local files; the tensors may be in a bucket
      Path local = Files.createTempFile("magicvideo-from", ".safetensors");
      try {
        Files.write(local, AtomicOutputs.readBytes(file));
        try (SafeTensorsReader reader = SafeTensorsReader.open(local)) {
          expectMetadata(reader, "stage", stage.configName());
          expectMetadata(reader, "id", entry.getId());
          int shard = AssignShards.shardOf(entry.getId(), numShards);
          Map<String, Double> seconds = new LinkedHashMap<>(entry.getStageSeconds());
          if (stage.ordinal() < Stage.DECODE.ordinal()) {
            return new VideoWork(request, shard, latents(reader.read("latents")), null, seconds);
          }
          return new VideoWork(request, shard, null, frames(reader.read("frames"), entry.getFps()), seconds);
        }
      } finally {
        Files.deleteIfExists(local);
      }
    }

    private static void expectMetadata(SafeTensorsReader reader, String key, String expected) throws IOException {
      String actual = reader.metadata().get(key);
      if (!expected.equals(actual)) {
        throw new IOException("metadata " + key + " is " + actual + ", the manifest says " + expected);
      }
    }

    /** [F, C, h, w] float32, as WriteTensorsFn writes latents. */
    private static LatentClip latents(Tensor t) throws IOException {
      long[] s = t.shape();
      if (s.length != 4) {
        throw new IOException("latents must be [frames, channels, height, width], got rank " + s.length);
      }
      return new LatentClip((int) s[0], (int) s[1], (int) s[2], (int) s[3], t.data());
    }

    /** [F, H, W, 3] values 0..255 (float16 holds them exactly) back to bytes. */
    private static VideoFrames frames(Tensor t, double fps) throws IOException {
      long[] s = t.shape();
      if (s.length != 4 || s[3] != 3) {
        throw new IOException("frames must be [frames, height, width, 3]");
      }
      float[] values = t.data();
      byte[] rgb = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        float v = values[i];
        if (!(v >= 0 && v <= 255) || v != Math.rint(v)) {
          throw new IOException("frames value " + v + " at index " + i + " is not a byte 0..255");
        }
        rgb[i] = (byte) (int) v;
      }
      return new VideoFrames((int) s[0], (int) s[1], (int) s[2], fps, rgb);
    }
  }
}
