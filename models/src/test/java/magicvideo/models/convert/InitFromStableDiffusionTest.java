package magicvideo.models.convert;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.DenoiserConfig;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.LatentClip;
import magicvideo.models.generate.ModelComponents;
import magicvideo.models.generate.RandomModels;
import magicvideo.models.generate.VideoGenerator;
import magicvideo.models.generate.VideoRequest;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.SafeTensors;
import magicvideo.models.io.SafeTensorsReader;
import magicvideo.models.io.Tensor;
import magicvideo.models.io.TensorDType;
import magicvideo.models.nn.DirectedTemporalAttention;
import magicvideo.models.nn.Module;
import magicvideo.models.sampling.SchedulerConfig;
import magicvideo.models.text.ClipTextConfig;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.text.ClipTokenizer;
import magicvideo.models.unet.Conditioning;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.unet.VideoUNet;
import magicvideo.models.vae.VaeConfig;
import magicvideo.models.vae.VideoVae;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** init-from-sd on a tiny synthetic Stable Diffusion checkpoint. */
public class InitFromStableDiffusionTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final int KEYFRAMES = 4;
  private static final int BETWEEN = 3;
  /** 16 pixels: 8x8 latents with the tiny VAE's factor 2. */
  private static final int FRAME_SIZE = 16;

  private static Path sd;
  private static InitFromStableDiffusion.Report report;

  @BeforeClass
  public static void convertTinyCheckpoint() throws IOException {
    sd = new TinyStableDiffusion(7).writeTo(TMP.newFolder("sd").toPath());
    report = InitFromStableDiffusion.run(options(sd, TMP.getRoot().toPath().resolve("model")));
  }

  private static InitFromStableDiffusion.Options options(Path source, Path output) {
    return new InitFromStableDiffusion.Options(source, output, KEYFRAMES, BETWEEN, FRAME_SIZE,
        false, null, UNetConfig.tinySuperResolution(), 0);
  }

  private static ModelDirectory model() {
    return report.model();
  }

  private static InitFromStableDiffusion.ConvertedComponent component(String name) {
    return report.components().stream().filter(c -> c.component().equals(name)).findFirst()
        .orElseThrow();
  }

  /** Parameter names of {@code video} that the image network does not have. */
  private static int additions(Module video, Module image) {
    Set<String> names = new HashSet<>(video.parameterShapes().keySet());
    names.removeAll(image.parameterShapes().keySet());
    return names.size();
  }

  private static <M extends Module> M load(M module, Path weights, NDManager m) throws IOException {
    module.loadWeights(SafeTensors.read(weights, m), weights.toString());
    return module;
  }

  private static float maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }

  @Test
  public void everySourceTensorIsConsumedAndEveryAdditionCounted() {
    var text = component(ModelComponents.TEXT_ENCODER);
    assertEquals(new ClipTextEncoder(TinyStableDiffusion.TEXT)
        .parameterShapes().size(), text.sourceTensors());
    assertEquals(List.of(StableDiffusionCheckpoint.POSITION_IDS), text.skipped());
    assertEquals(0, text.addedTensors());

    UNetConfig keyframes =
        model().config(ModelComponents.KEYFRAME_UNET, DenoiserConfig.class).unet();
    var unet = component(ModelComponents.KEYFRAME_UNET);
    assertEquals(new VideoUNet(TinyStableDiffusion.UNET).parameterShapes().size(),
        unet.sourceTensors());
    assertEquals(additions(new VideoUNet(keyframes), new VideoUNet(TinyStableDiffusion.UNET)),
        unet.addedTensors());
    assertTrue(unet.addedTensors() > 0);
    assertEquals(new VideoUNet(keyframes).parameterCount(), unet.parameters());
    assertEquals(unet.sourceTensors(),
        component(ModelComponents.INTERPOLATION_UNET).sourceTensors());

    var vae = component(ModelComponents.VAE);
    VideoVae image = new VideoVae(TinyStableDiffusion.VAE);
    assertEquals(image.parameterShapes().size(), vae.sourceTensors());
    assertTrue(vae.addedTensors() > 0);

    var superres = component(ModelComponents.SUPERRES_UNET);
    assertEquals(0, superres.sourceTensors());
    assertTrue(report.describe(), report.describe().contains("UNTRAINED"));
    assertTrue(model().manifest().description().contains("UNTRAINED"));
  }

  @Test
  public void configsAreMappedFromTheDiffusersFiles() {
    DenoiserConfig keyframes = model().config(ModelComponents.KEYFRAME_UNET, DenoiserConfig.class);
    UNetConfig k = keyframes.unet();
    // TinyStableDiffusion's unet/config.json plus directed attention, adaptors and FPS
    assertEquals(new UNetConfig(4, 4, new int[] {32, 64}, new boolean[] {true, false}, 1, 32, 4, 8,
        DirectedTemporalAttention.Mode.DIRECTED, true, KEYFRAMES, true, false), k);
    assertEquals(FRAME_SIZE / 2, keyframes.sampleHeight());
    assertEquals(SchedulerConfig.stableDiffusion(), keyframes.scheduler());

    UNetConfig interpolation =
        model().config(ModelComponents.INTERPOLATION_UNET, DenoiserConfig.class).unet();
    assertEquals(4 + 4 + 1, interpolation.inChannels());
    assertEquals(BETWEEN + 2, interpolation.numFrames());

    VaeConfig vae = model().config(ModelComponents.VAE, VaeConfig.class);
    assertEquals(TinyStableDiffusion.VAE, vae.imageOnly());
    assertEquals(TinyStableDiffusion.TEXT,
        model().config(ModelComponents.TEXT_ENCODER, ClipTextConfig.class));
    DenoiserConfig superres = model().config(ModelComponents.SUPERRES_UNET, DenoiserConfig.class);
    assertEquals(TinyStableDiffusion.TEXT.hidden(), superres.unet().contextDim());
    assertEquals(4 * FRAME_SIZE, superres.sampleHeight());
  }

  @Test
  public void theModelDirectoryOpensAndItsStagesRun() throws IOException {
    ModelDirectory opened = ModelDirectory.open(model().root());
    assertEquals(model().fingerprint(), opened.fingerprint());
    GenerationSettings fast = GenerationSettings.defaults().withSteps(1).withStageSteps(1, 1);
    List<VideoRequest> request = List.of(new VideoRequest("v", "a cat", "", 1));
    // every network loads; the SD-derived stages run (super-resolution is untrained and slow)
    try (VideoGenerator generator = VideoGenerator.open(model().root())) {
      List<LatentClip> keyframes = generator.keyframes(request, fast);
      List<LatentClip> dense = generator.interpolate(request, keyframes, fast);
      VideoFrames video = generator.decode(dense, fast).get(0);
      assertEquals(KEYFRAMES + (KEYFRAMES - 1) * BETWEEN, video.frames());
      assertEquals(FRAME_SIZE, video.height());
    }
  }

  @Test
  public void keyframeUNetEqualsTheImageUNetFrameByFrame() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      UNetConfig config =
          model().config(ModelComponents.KEYFRAME_UNET, DenoiserConfig.class).unet();
      VideoUNet video = load(new VideoUNet(config),
          model().weightsFile(ModelComponents.KEYFRAME_UNET), m);
      VideoUNet image = load(new VideoUNet(TinyStableDiffusion.UNET),
          sd.resolve("unet/diffusion_pytorch_model.safetensors"), m);
      m.getEngine().setRandomSeed(3);
      NDArray x = m.randomNormal(new Shape(1, KEYFRAMES, 4, 8, 8));
      NDArray t = m.create(new float[] {601f});
      NDArray context = m.randomNormal(new Shape(1, 16, 32));
      NDArray out =
          video.forward(x, t, Conditioning.text(context).withFps(m.create(new float[] {8f})));

      for (int f = 0; f < KEYFRAMES; f++) {
        NDArray frame = x.get(new NDIndex(":, {}:{}", f, f + 1));
        NDArray expected = image.forward(frame, t, Conditioning.text(context));
        float diff = maxAbsDiff(out.get(new NDIndex(":, {}:{}", f, f + 1)), expected);
        assertTrue("frame " + f + " differs by " + diff, diff < 1e-5f);
      }
      assertTrue("the U-Net's output is not trivial", out.abs().max().getFloat() > 0.1f);
    }
  }

  @Test
  public void interpolationUNetIgnoresItsConditioningChannelsAtFirst() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      UNetConfig config =
          model().config(ModelComponents.INTERPOLATION_UNET, DenoiserConfig.class).unet();
      VideoUNet video = load(new VideoUNet(config),
          model().weightsFile(ModelComponents.INTERPOLATION_UNET), m);
      VideoUNet image = load(new VideoUNet(TinyStableDiffusion.UNET),
          sd.resolve("unet/diffusion_pytorch_model.safetensors"), m);
      m.getEngine().setRandomSeed(4);
      int frames = BETWEEN + 2;
      NDArray x = m.randomNormal(new Shape(1, frames, 4, 8, 8));
      NDArray conditioning = m.randomNormal(new Shape(1, frames, 5, 8, 8)).mul(10f);
      NDArray t = m.create(new float[] {250f});
      NDArray context = m.randomNormal(new Shape(1, 16, 32));
      NDArray out = video.forward(x.concat(conditioning, 2), t,
          Conditioning.text(context).withFps(m.create(new float[] {24f})));
      NDArray expected = image.forward(x, t, Conditioning.text(context));
      float diff = maxAbsDiff(out, expected);
      assertTrue("interpolation output differs from the image U-Net by " + diff, diff < 1e-5f);
      assertTrue("the U-Net's output is not trivial", out.abs().max().getFloat() > 0.1f);
    }
  }

  @Test
  public void textEncoderAndVaeKeepStableDiffusionsValues() throws IOException {
    Map<String, Tensor> text = SafeTensors.read(model().weightsFile(ModelComponents.TEXT_ENCODER));
    TinyStableDiffusion source = new TinyStableDiffusion(7);
    for (Tensor t : text.values()) {
      assertArrayEquals(t.name(), source.values(t.name(), t.shape()), t.data(), 0f);
    }
    Map<String, Tensor> vae = SafeTensors.read(model().weightsFile(ModelComponents.VAE));
    // stored in the source as decoder.mid_block.attentions.0.query.weight [32, 32, 1, 1]
    Tensor q = vae.get("decoder.mid_block.attentions.0.to_q.weight");
    assertArrayEquals(new long[] {32, 32}, q.shape());
    assertArrayEquals(source.values(q.name(), q.shape()), q.data(), 0f);
    assertTrue(vae.containsKey("decoder.mid_block.temp_attentions.0.attn.to_out.0.weight"));
  }

  @Test
  public void convertedTokenizerSplitsAsTheVocabularyAndMergesSay() throws IOException {
    try (ClipTokenizer tokenizer = ClipTokenizer.open(model())) {
      List<String> vocab = TinyStableDiffusion.VOCAB;
      long start = vocab.indexOf("<|startoftext|>");
      long end = vocab.indexOf("<|endoftext|>");
      // "cats": c a -> ca, ca t -> cat, leaving s</w>; "dog!" splits at the punctuation
      long[] text = {vocab.indexOf("a</w>"), vocab.indexOf("cat</w>"), vocab.indexOf("cat"),
          vocab.indexOf("s</w>"), vocab.indexOf("dog</w>"), vocab.indexOf("!</w>")};
      long[] expected = new long[16];
      Arrays.fill(expected, end);
      expected[0] = start;
      System.arraycopy(text, 0, expected, 1, text.length);
      assertArrayEquals(expected, tokenizer.encode("A  cat cats DOG!").ids());
      assertEquals(16, tokenizer.config().contextLength());
    }
  }

  @Test
  public void f16WeightsNewStyleVaeNamesAndAnUpscalerFromAnotherModel() throws IOException {
    TinyStableDiffusion checkpoint = new TinyStableDiffusion(7);
    checkpoint.legacyVaeNames = false;
    Path source = checkpoint.writeTo(TMP.newFolder().toPath());
    Path output = TMP.getRoot().toPath().resolve("f16");
    InitFromStableDiffusion.Options o = options(source, output);
    ModelDirectory f16 = InitFromStableDiffusion.run(new InitFromStableDiffusion.Options(o.sd(),
        o.output(), KEYFRAMES, BETWEEN, FRAME_SIZE, true, model().root(), o.superResolution(),
        0)).model();
    for (String component : List.of(ModelComponents.TEXT_ENCODER, ModelComponents.KEYFRAME_UNET,
        ModelComponents.VAE)) {
      try (SafeTensorsReader reader = f16.openWeights(component)) {
        assertTrue(component,
            reader.tensors().stream().allMatch(t -> t.dtype() == TensorDType.F16));
      }
    }
    assertEquals(model().manifest().component(ModelComponents.SUPERRES_UNET).sha256(),
        f16.manifest().component(ModelComponents.SUPERRES_UNET).sha256());
    assertFalse(f16.manifest().description().contains("UNTRAINED"));
    Map<String, Tensor> vae = SafeTensors.read(f16.weightsFile(ModelComponents.VAE));
    Tensor q = vae.get("decoder.mid_block.attentions.0.to_q.weight");
    assertArrayEquals(checkpoint.values(q.name(), q.shape()), q.data(), 1e-3f);
  }

  @Test
  public void anUnknownTensorIsListedAsUnused() throws IOException {
    TinyStableDiffusion checkpoint = new TinyStableDiffusion(7);
    checkpoint.unetTensors.put("down_blocks.0.mystery.weight", new long[] {3});
    String message = failure(checkpoint);
    assertTrue(message, message.contains("1 unused tensors: down_blocks.0.mystery.weight"));
    assertTrue(message, message.contains("unet/diffusion_pytorch_model.safetensors"));
  }

  @Test
  public void aMissingTensorIsListed() throws IOException {
    TinyStableDiffusion checkpoint = new TinyStableDiffusion(7);
    checkpoint.unetTensors.remove("mid_block.attentions.0.proj_in.bias");
    String message = failure(checkpoint);
    assertTrue(message,
        message.contains("1 missing tensors: mid_block.attentions.0.proj_in.bias (64)"));
  }

  @Test
  public void aWrongShapeNamesTheTensorAndBothShapes() throws IOException {
    TinyStableDiffusion checkpoint = new TinyStableDiffusion(7);
    checkpoint.unetTensors.put("conv_in.weight", new long[] {32, 4, 1, 1});
    String message = failure(checkpoint);
    assertTrue(message, message.contains(
        "conv_in.weight has shape (32, 4, 1, 1), expected (32, 4, 3, 3)"));
  }

  @Test
  public void configsWeCannotRepresentAreRefusedNamingTheField() throws IOException {
    TinyStableDiffusion linear = new TinyStableDiffusion(7);
    linear.unetConfig.put("use_linear_projection", true);
    String message = failure(linear);
    assertTrue(message, message.contains("unet/config.json: use_linear_projection is true"));

    TinyStableDiffusion upcast = new TinyStableDiffusion(7);
    upcast.unetConfig.withArray("down_block_types").set(1, "AttnDownBlock2D");
    assertTrue(failure(upcast).contains("down_block_types has AttnDownBlock2D"));

    TinyStableDiffusion heads = new TinyStableDiffusion(7);
    heads.unetConfig.putArray("attention_head_dim").add(4).add(8);
    assertTrue(failure(heads).contains("attention_head_dim is [4,8]"));

    TinyStableDiffusion gelu = new TinyStableDiffusion(7);
    gelu.textConfig.put("hidden_act", "relu");
    assertTrue(failure(gelu).contains("hidden_act is relu"));
  }

  @Test
  public void aFrameSizeUpscalerOrOutputThatDoesNotFitIsRefusedFirst() throws IOException {
    Path parent = TMP.newFolder().toPath();
    InitFromStableDiffusion.Options o = options(sd, parent.resolve("out"));
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> InitFromStableDiffusion.run(new InitFromStableDiffusion.Options(sd, o.output(),
            KEYFRAMES, BETWEEN, 18, false, null, o.superResolution(), 0)));
    assertEquals("frame size 18 must be a multiple of 4 for this checkpoint (VAE factor 2 x U-Net"
        + " levels 2)", size.getMessage());

    // the tiny random model's super-resolution U-Net attends to its own 64-wide text encoder
    Path other = RandomModels.writeTiny(TMP.newFolder().toPath().resolve("other"), 1).root();
    CheckpointException upscaler = assertThrows(CheckpointException.class,
        () -> InitFromStableDiffusion.run(new InitFromStableDiffusion.Options(sd, o.output(),
            KEYFRAMES, BETWEEN, FRAME_SIZE, false, other, o.superResolution(), 0)));
    assertTrue(upscaler.getMessage(), upscaler.getMessage().contains(
        "attends to 64-wide text embeddings, but this text encoder's are 32"));
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(List.of(), left.toList());
    }

    Files.createDirectories(o.output()).resolve("keep.txt").toFile().createNewFile();
    IOException occupied = assertThrows(IOException.class, () -> InitFromStableDiffusion.run(o));
    assertTrue(occupied.getMessage(), occupied.getMessage().endsWith("the directory is not empty"));
  }

  /** Converts {@code checkpoint}, expecting a refusal; nothing may be left beside the output. */
  private static String failure(TinyStableDiffusion checkpoint) throws IOException {
    Path parent = TMP.newFolder().toPath();
    Path source = checkpoint.writeTo(parent.resolve("sd"));
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> InitFromStableDiffusion.run(options(source, parent.resolve("out"))));
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(List.of(parent.resolve("sd")), left.toList());
    }
    return e.getMessage();
  }
}
