package magicvideo.models.generate;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import magicvideo.models.VideoFrames;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.SafeTensors;
import magicvideo.models.nn.Clip;
import magicvideo.models.nn.Module;
import magicvideo.models.nn.Ops;
import magicvideo.models.sampling.ClassifierFreeGuidance;
import magicvideo.models.sampling.DdimSampler;
import magicvideo.models.sampling.Denoiser;
import magicvideo.models.sampling.FrameCorrelatedNoise;
import magicvideo.models.sampling.NoiseSchedule;
import magicvideo.models.sampling.Sampler;
import magicvideo.models.sampling.SamplerKind;
import magicvideo.models.sampling.Sampling;
import magicvideo.models.sampling.SeededNoise;
import magicvideo.models.text.ClipTextConfig;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.text.ClipTokenizer;
import magicvideo.models.text.TokenizedPrompt;
import magicvideo.models.unet.Conditioning;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.unet.VideoUNet;
import magicvideo.models.vae.VaeConfig;
import magicvideo.models.vae.VideoVae;

/**
 * MagicVideo on one machine: loads a model directory and runs the stages of section 1 of
 * ARCHITECTURE.md one by one (the Beam DoFns call them separately) or together. Only the
 * components of the requested stages are loaded. Every stage call owns an NDManager that is closed
 * when it returns, so nothing grows across calls; stage outputs are plain Java arrays.
 *
 * <p>Randomness: every noise tensor is drawn on the CPU by {@link SeededNoise} from the video's
 * seed, split by stage (and by window or chunk), then moved to the device. So a video does not
 * depend on its batch mates, on the batch size, on the device or on the runner.
 */
public final class VideoGenerator implements AutoCloseable {
  private static final long STREAM_KEYFRAMES = 1;
  private static final long STREAM_INTERPOLATION = 2;
  private static final long STREAM_UPSCALE = 3;
  private static final long STREAM_UPSCALE_AUGMENTATION = 4;
  private static final long STREAM_ETA = 5;

  private final ModelDirectory model;
  private final Device device;
  private final DataType dtype;
  private final NDManager weights;
  private final ClipTokenizer tokenizer;
  private final TextConditioner text;
  private final DenoiserConfig keyframeConfig;
  private final VideoUNet keyframeUNet;
  private final DenoiserConfig interpolationConfig;
  private final VideoUNet interpolationUNet;
  private final VideoVae vae;
  private final DenoiserConfig upscaleConfig;
  private final VideoUNet upscaleUNet;
  private volatile ForwardPassListener forwardPasses = ForwardPassListener.NONE;

  private VideoGenerator(ModelDirectory model, Set<Stage> stages, Device device) throws IOException {
    this.model = model;
    this.device = device;
    // float16 on GPU, float32 on CPU; never bfloat16 (it aborts DJL's PyTorch engine)
    this.dtype = device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
    this.weights = NDManager.newBaseManager(device);
    boolean ok = false;
    try {
      this.keyframeConfig = stages.contains(Stage.KEYFRAMES) ? denoiserConfig(ModelComponents.KEYFRAME_UNET) : null;
      this.interpolationConfig = stages.contains(Stage.INTERPOLATE)
          ? denoiserConfig(ModelComponents.INTERPOLATION_UNET) : null;
      this.upscaleConfig = stages.contains(Stage.UPSCALE) ? denoiserConfig(ModelComponents.SUPERRES_UNET) : null;
      boolean needsText = needsText(keyframeConfig) || needsText(interpolationConfig) || needsText(upscaleConfig);
      if (needsText) {
        this.tokenizer = ClipTokenizer.open(model);
        ClipTextEncoder encoder = load(ModelComponents.TEXT_ENCODER,
            new ClipTextEncoder(model.config(ModelComponents.TEXT_ENCODER, ClipTextConfig.class)));
        this.text = new TextConditioner(tokenizer, encoder);
      } else {
        this.tokenizer = null;
        this.text = null;
      }
      this.keyframeUNet = keyframeConfig == null ? null
          : load(ModelComponents.KEYFRAME_UNET, new VideoUNet(keyframeConfig.unet()));
      this.interpolationUNet = interpolationConfig == null ? null
          : load(ModelComponents.INTERPOLATION_UNET, new VideoUNet(interpolationConfig.unet()));
      this.upscaleUNet = upscaleConfig == null ? null
          : load(ModelComponents.SUPERRES_UNET, new VideoUNet(upscaleConfig.unet()));
      this.vae = stages.contains(Stage.DECODE)
          ? load(ModelComponents.VAE, new VideoVae(model.config(ModelComponents.VAE, VaeConfig.class))) : null;
      ok = true;
    } finally {
      if (!ok) {
        close();
      }
    }
  }

  /** Opens {@code modelDir} (verifying every file's sha256) for {@code stages} on the default device. */
  public static VideoGenerator open(Path modelDir, Set<Stage> stages) throws IOException {
    return open(ModelDirectory.open(modelDir), stages, Engine.getInstance().defaultDevice());
  }

  /** Opens every stage of {@code modelDir} on the default device. */
  public static VideoGenerator open(Path modelDir) throws IOException {
    return open(modelDir, EnumSet.allOf(Stage.class));
  }

  public static VideoGenerator open(ModelDirectory model, Set<Stage> stages, Device device) throws IOException {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a generator needs at least one stage");
    }
    return new VideoGenerator(model, EnumSet.copyOf(stages), device);
  }

  public ModelDirectory model() {
    return model;
  }

  public Device device() {
    return device;
  }

  /** Reports the time of every network forward pass from now on to {@code listener} (null: none). */
  public void setForwardPassListener(ForwardPassListener listener) {
    this.forwardPasses = listener == null ? ForwardPassListener.NONE : listener;
  }

  /** Dense frames per clip after interpolation, for {@code keyframes} keyframes. */
  public int interpolatedFrames(int keyframes) {
    require(interpolationUNet, Stage.INTERPOLATE);
    return LatentInterpolation.denseFrames(keyframes, interpolationConfig.unet().numFrames() - 2);
  }

  /** Token ids of the prompts, with what truncation dropped (the manifest records it). */
  public List<TokenizedPrompt> tokenize(List<String> prompts) {
    if (text == null) {
      throw new IllegalStateException("no stage of this generator uses text");
    }
    return text.tokenize(prompts);
  }

  /** Stage 1: text -> keyframe latents [F, 4, h, w] per request (unscaled by the VAE factor). */
  public List<LatentClip> keyframes(List<VideoRequest> requests, GenerationSettings settings) {
    settings.validated();
    require(keyframeUNet, Stage.KEYFRAMES);
    UNetConfig c = keyframeConfig.unet();
    int frames = settings.keyframes() == 0 ? c.numFrames() : settings.keyframes();
    if (c.frameAdaptor() && frames > c.numFrames()) {
      throw new IllegalArgumentException("keyframes: this model makes at most " + c.numFrames()
          + " keyframes (its frame adaptors), got " + frames);
    }
    int[] hw = latentSize(settings);
    int b = requests.size();
    try (DeviceGuard.Permit permit = DeviceGuard.acquire(device); NDManager call = weights.newSubManager()) {
      ClassifierFreeGuidance cfg = new ClassifierFreeGuidance(settings.guidance());
      Conditioning cond = textConditioning(call, requests, cfg, 1);
      int modelRows = cfg.needsUnconditional() ? 2 * b : b;
      if (c.fpsConditioning()) {
        cond = cond.withFps(call.full(new Shape(modelRows), (float) settings.fps()));
      }
      List<SeededNoise> rows = streams(requests, STREAM_KEYFRAMES, 0);
      NDArray noise = FrameCorrelatedNoise.gaussianBatch(call, new Shape(b, frames, c.outChannels(), hw[0], hw[1]),
          rows, keyframeConfig.frameNoiseCorrelation()).toType(dtype, false);
      NDArray latents = denoise(ModelComponents.KEYFRAME_UNET, keyframeUNet, keyframeConfig, settings.sampler(),
          settings.steps(), settings.eta(), cfg, noise, null, cond, rows);
      return clips(latents);
    }
  }

  /**
   * Stage 2: keyframe latents -> dense latents, generating the frames between each pair of
   * consecutive keyframes (16 keyframes, 3 between -> 61 frames). The keyframes are kept exactly.
   */
  public List<LatentClip> interpolate(List<VideoRequest> requests, List<LatentClip> keyframes,
      GenerationSettings settings) {
    settings.validated();
    require(interpolationUNet, Stage.INTERPOLATE);
    checkSameSize(requests, keyframes);
    UNetConfig c = interpolationConfig.unet();
    int between = c.numFrames() - 2;
    int b = requests.size();
    try (DeviceGuard.Permit permit = DeviceGuard.acquire(device); NDManager call = weights.newSubManager()) {
      NDArray keys = LatentClip.stack(call, keyframes).toType(dtype, false);
      int pairs = keyframes.get(0).frames() - 1;
      ClassifierFreeGuidance cfg = new ClassifierFreeGuidance(settings.interpolationGuidance());
      NDArray given = LatentInterpolation.conditioning(keys, between);
      NDArray extra = cfg.needsUnconditional() ? given.concat(given, 0) : given;
      // one window per (clip, pair): each clip's text and seed serve all its windows
      Conditioning cond = textConditioning(call, requests, cfg, pairs);
      int modelRows = (cfg.needsUnconditional() ? 2 : 1) * b * pairs;
      if (c.fpsConditioning()) {
        cond = cond.withFps(call.full(new Shape(modelRows), (float) settings.fps()));
      }
      List<SeededNoise> windowNoise = new ArrayList<>();
      for (VideoRequest r : requests) {
        for (int p = 0; p < pairs; p++) {
          windowNoise.add(SeededNoise.forSeed(r.seed()).split(STREAM_INTERPOLATION).split(p));
        }
      }
      Shape shape = new Shape((long) b * pairs, c.numFrames(), c.outChannels(), keys.getShape().get(3),
          keys.getShape().get(4));
      NDArray noise = noise(call, shape, windowNoise);
      NDArray windows = denoise(ModelComponents.INTERPOLATION_UNET, interpolationUNet, interpolationConfig,
          settings.sampler(), settings.interpolationSteps(), settings.eta(), cfg, noise, extra, cond, windowNoise);
      return clips(LatentInterpolation.assemble(keys, windows, between));
    }
  }

  /** Stage 3: latents -> RGB frames with the VideoVAE decoder, {@code decodeChunk} frames at once. */
  public List<VideoFrames> decode(List<LatentClip> latents, GenerationSettings settings) {
    settings.validated();
    require(vae, Stage.DECODE);
    try (DeviceGuard.Permit permit = DeviceGuard.acquire(device); NDManager call = weights.newSubManager()) {
      NDArray z = LatentClip.stack(call, latents).toType(dtype, false);
      NDArray frames = timed(ModelComponents.VAE, () -> vae.decodeChunked(vae.unscale(z), settings.decodeChunk()));
      return FrameTensors.toVideoFrames(frames, settings.fps());
    }
  }

  /**
   * Stage 4: diffusion super-resolution. The low-res frames get noise augmentation at
   * {@code upscaleNoiseLevel} (as SD's x4 upscaler, so the network does not copy compression or
   * decoder artefacts), are upsampled (nearest) and concatenated with the noisy high-res sample;
   * {@code upscaleChunk} frames (at most the network's {@code numFrames}, the chunk it was trained
   * on) are denoised at once, with temporal attention inside the chunk.
   */
  public List<VideoFrames> upscale(List<VideoRequest> requests, List<VideoFrames> videos, GenerationSettings settings) {
    settings.validated();
    require(upscaleUNet, Stage.UPSCALE);
    checkSameSize(requests, videos);
    UNetConfig c = upscaleConfig.unet();
    int factor = upscaleConfig.upscaleFactor();
    VideoFrames first = videos.get(0);
    for (VideoFrames v : videos) {
      if (v.frames() != first.frames() || v.height() != first.height() || v.width() != first.width()) {
        throw new IllegalArgumentException("upscale: videos of one batch must have one size");
      }
    }
    int b = videos.size(), f = first.frames();
    int outH = first.height() * factor, outW = first.width() * factor;
    if (outH % c.sizeMultiple() != 0 || outW % c.sizeMultiple() != 0) {
      throw new IllegalArgumentException("upscale: output " + outH + "x" + outW + " must be a multiple of "
          + c.sizeMultiple() + " for this super-resolution network");
    }
    byte[][] out = new byte[b][(int) ((long) f * outH * outW * 3)];
    NoiseSchedule schedule = new NoiseSchedule(upscaleConfig.scheduler());
    double alpha = schedule.alphaCumprod(settings.upscaleNoiseLevel());
    // temporal attention has only learnt the frame positions of the chunks it was trained on
    int chunk = Math.min(settings.upscaleChunk(), c.numFrames());
    try (NDManager video = weights.newSubManager()) {
      // (B, F, 3, H, W) in [-1, 1], noise-augmented, nearest-upsampled: the conditioning image
      NDArray low = toTensor(video, videos);
      NDArray augment = noise(video, low.getShape(), streams(requests, STREAM_UPSCALE_AUGMENTATION, 0));
      low = low.mul((float) Math.sqrt(alpha)).add(augment.mul((float) Math.sqrt(1 - alpha)));
      NDArray lowUp = Ops.upsampleNearest(low.reshape((long) b * f, 3, first.height(), first.width()), factor)
          .reshape(b, f, 3, outH, outW);
      for (int start = 0, index = 0; start < f; start += chunk, index++) {
        int end = Math.min(f, start + chunk);
        try (DeviceGuard.Permit permit = DeviceGuard.acquire(device); NDManager call = video.newSubManager()) {
          ClassifierFreeGuidance cfg = new ClassifierFreeGuidance(settings.upscaleGuidance());
          NDArray given = lowUp.get(new NDIndex(":, {}:{}", start, end));
          NDArray extra = cfg.needsUnconditional() ? given.concat(given, 0) : given;
          Conditioning cond = textConditioning(call, requests, cfg, 1);
          int modelRows = cfg.needsUnconditional() ? 2 * b : b;
          cond = cond.withNoiseLevel(call.full(new Shape(modelRows), (float) settings.upscaleNoiseLevel()));
          List<SeededNoise> rows = streams(requests, STREAM_UPSCALE, index);
          NDArray noise = noise(call, new Shape(b, end - start, c.outChannels(), outH, outW), rows);
          NDArray high = denoise(ModelComponents.SUPERRES_UNET, upscaleUNet, upscaleConfig, settings.sampler(),
              settings.upscaleSteps(), settings.eta(), cfg, noise, extra, cond, rows);
          byte[][] bytes = FrameTensors.toRgbBytes(high);
          int frameBytes = outH * outW * 3;
          for (int i = 0; i < b; i++) {
            System.arraycopy(bytes[i], 0, out[i], start * frameBytes, bytes[i].length);
          }
        }
      }
    }
    List<VideoFrames> result = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      result.add(new VideoFrames(f, outH, outW, videos.get(i).fps(), out[i]));
    }
    return result;
  }

  /** Every loaded stage in order: one request -> its final frames. */
  public VideoFrames generate(VideoRequest request, GenerationSettings settings) {
    return generate(List.of(request), settings).get(0);
  }

  /** Every loaded stage in order for a batch (keyframes must be loaded; the others if present). */
  public List<VideoFrames> generate(List<VideoRequest> requests, GenerationSettings settings) {
    List<LatentClip> latents = keyframes(requests, settings);
    if (interpolationUNet != null) {
      latents = interpolate(requests, latents, settings);
    }
    List<VideoFrames> frames = decode(latents, settings);
    return upscaleUNet == null ? frames : upscale(requests, frames, settings);
  }

  @Override
  public void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
    weights.close();
  }

  // ---------------------------------------------------------------------------------------------

  private DenoiserConfig denoiserConfig(String component) {
    return model.config(component, DenoiserConfig.class);
  }

  private static boolean needsText(DenoiserConfig c) {
    return c != null && c.unet().contextDim() > 0;
  }

  private <M extends Module> M load(String component, M module) throws IOException {
    Path file = model.weightsFile(component);
    Map<String, NDArray> tensors = SafeTensors.read(file, weights);
    module.loadWeights(tensors, file.toString());
    module.convert(weights, dtype);
    return module;
  }

  private static void require(Object part, Stage stage) {
    if (part == null) {
      throw new IllegalStateException("this generator was not opened for stage " + stage.configName());
    }
  }

  private static void checkSameSize(List<?> requests, List<?> items) {
    if (requests.isEmpty() || requests.size() != items.size()) {
      throw new IllegalArgumentException("need one request per clip and at least one, got "
          + requests.size() + " requests for " + items.size() + " clips");
    }
  }

  /** Latent height and width of keyframes for the requested pixel size (0 = the model's own). */
  private int[] latentSize(GenerationSettings s) {
    int factor = model.config(ModelComponents.VAE, VaeConfig.class).latentFactor();
    int h = s.height() == 0 ? keyframeConfig.sampleHeight() : s.height() / factor;
    int w = s.width() == 0 ? keyframeConfig.sampleWidth() : s.width() / factor;
    int multiple = keyframeConfig.unet().sizeMultiple() * factor;
    if ((s.height() != 0 && s.height() % multiple != 0) || (s.width() != 0 && s.width() % multiple != 0)) {
      throw new IllegalArgumentException("width and height must be multiples of " + multiple
          + " for this model, got " + s.width() + "x" + s.height());
    }
    return new int[] {h, w};
  }

  /**
   * Text context for a guided batch: [negative prompts; prompts] (or the prompts alone at guidance
   * 1), each row repeated {@code repeats} times (interpolation windows).
   */
  private Conditioning textConditioning(NDManager call, List<VideoRequest> requests, ClassifierFreeGuidance cfg,
      int repeats) {
    if (text == null) {
      return new Conditioning(null, null, null);
    }
    List<String> prompts = requests.stream().map(VideoRequest::prompt).toList();
    NDArray cond = timed(ModelComponents.TEXT_ENCODER, () -> text.embed(call, prompts));
    NDArray context = cond;
    if (cfg.needsUnconditional()) {
      List<String> negative = requests.stream().map(VideoRequest::negativePrompt).toList();
      NDArray uncond = timed(ModelComponents.TEXT_ENCODER, () -> text.embed(call, negative));
      context = cfg.batchConditioning(uncond, cond);
    }
    if (repeats > 1) {
      context = Ops.repeatPerFrame(context, new Clip(Math.toIntExact(context.getShape().get(0)), repeats));
    }
    return Conditioning.text(context.toType(dtype, false));
  }

  /** Per request: the noise stream of {@code stream}/{@code sub} of its seed. */
  private static List<SeededNoise> streams(List<VideoRequest> requests, long stream, long sub) {
    return requests.stream().map(r -> SeededNoise.forSeed(r.seed()).split(stream).split(sub)).toList();
  }

  /** Noise of {@code shape} whose row i is drawn from {@code rows.get(i)}, in the generator's dtype. */
  private NDArray noise(NDManager m, Shape shape, List<SeededNoise> rows) {
    return SeededNoise.gaussianBatch(m, shape, rows).toType(dtype, false);
  }

  private NDArray denoise(String component, VideoUNet unet, DenoiserConfig config, String samplerName, int steps,
      double eta, ClassifierFreeGuidance cfg, NDArray noise, NDArray extraChannels, Conditioning cond,
      List<SeededNoise> rows) {
    SamplerKind kind = SamplerKind.fromName(samplerName);
    Sampler sampler;
    if (kind == SamplerKind.DDIM && eta > 0) {
      // DDIM's per-step noise comes from each row's own stream too
      sampler = new DdimSampler(config.scheduler(), eta, rows.stream().map(r -> r.split(STREAM_ETA)).toList(),
          config.frameNoiseCorrelation());
    } else {
      sampler = kind.create(config.scheduler());
    }
    sampler.setTimesteps(steps);
    Denoiser model = (x, t) -> {
      NDArray input = extraChannels == null ? x : x.concat(extraChannels, 2);
      NDArray timesteps = x.getManager().full(new Shape(x.getShape().get(0)), (float) t);
      return timed(component, () -> unet.forward(input, timesteps, cond));
    };
    return Sampling.run(sampler, cfg.guide(model), noise);
  }

  /** Runs one forward pass of {@code component} and reports its time. */
  private <T> T timed(String component, Supplier<T> forward) {
    ForwardPassListener listener = forwardPasses;
    long start = System.nanoTime();
    T out = forward.get();
    listener.forwardPass(component, System.nanoTime() - start);
    return out;
  }

  private static List<LatentClip> clips(NDArray batch) {
    List<LatentClip> out = new ArrayList<>();
    for (int i = 0; i < batch.getShape().get(0); i++) {
      out.add(LatentClip.of(batch, i));
    }
    return out;
  }

  /** uint8 clips -> (B, F, 3, H, W) in [-1, 1], in the generator's dtype. */
  private NDArray toTensor(NDManager m, List<VideoFrames> videos) {
    return FrameTensors.toTensor(m, videos).toType(dtype, false);
  }
}
