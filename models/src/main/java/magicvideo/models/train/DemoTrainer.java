package magicvideo.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.DenoiserConfig;
import magicvideo.models.generate.FrameTensors;
import magicvideo.models.generate.LatentInterpolation;
import magicvideo.models.generate.ModelComponents;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.SafeTensors;
import magicvideo.models.generate.TextConditioner;
import magicvideo.models.nn.Module;
import magicvideo.models.nn.Ops;
import magicvideo.models.nn.Param;
import magicvideo.models.sampling.NoiseSchedule;
import magicvideo.models.shapes.Caption;
import magicvideo.models.shapes.Direction;
import magicvideo.models.shapes.ShapesWorld;
import magicvideo.models.sampling.SeededNoise;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.text.ClipTokenizer;
import magicvideo.models.text.ClipTokenizerConfig;
import magicvideo.models.text.TokenizerFiles;
import magicvideo.models.unet.Conditioning;
import magicvideo.models.unet.VideoUNet;
import magicvideo.models.vae.DiagonalGaussian;
import magicvideo.models.vae.VaeConfig;
import magicvideo.models.vae.VideoVae;

/**
 * Trains every component of the demo model from scratch on the shapes world, in the order each
 * needs the previous ones: the VAE on single frames, its temporal decoder layers on clips, then
 * (on latents of a fixed set of encoded clips) the keyframe U-Net jointly with the text encoder,
 * the interpolation U-Net, and finally the pixel-space super-resolution U-Net on the VAE's own
 * reconstructions. Every random draw comes from the seed, so a run is repeatable.
 */
public final class DemoTrainer implements AutoCloseable {
  /** Probability that a training prompt is replaced by the empty prompt (for guidance). */
  static final double CAPTION_DROPOUT = 0.1;
  /** Share of the contrastive text stage's prompts that name only some of their clip's attributes. */
  static final double PARTIAL_CAPTIONS = 0.5;
  /** Clips (and prompts) per step of the contrastive text stage. */
  static final int CONTRAST_BATCH = 64;
  /** Weight of the VAE's KL term (summed per frame) against its per-pixel squared error. */
  static final float KL_WEIGHT = 1e-5f;

  private final DemoConfigs initial;
  private final TrainingBudget budget;
  private final long seed;
  private final PrintStream log;
  private final NDManager root = NDManager.newBaseManager();
  private final ShapesData data;
  private final Path tokenizerFile;
  private final ClipTokenizer tokenizer;
  private final List<TrainingLoop.Result> results = new ArrayList<>();
  private float keyframeWeightCap = 1f;
  private float keyframeLearningRate = 5e-4f;
  private float directionContrast = 0f;
  private float directionMargin = 0.1f;
  private boolean trainTextEncoder = true;
  private boolean textContrast = false;
  private double keyframePartialCaptions = 0;
  private boolean parallel = false;

  private DemoConfigs configs;
  private VideoVae vae;
  private ClipTextEncoder textEncoder;
  private TextConditioner text;
  private VideoUNet keyframes;
  private VideoUNet interpolation;
  private VideoUNet upscale;
  /** (N, 61, 4, 8, 8) scaled latents of the dataset clips, and their motions. */
  private NDArray latents;
  private final List<ShapesWorld.Motion> motions = new ArrayList<>();

  public DemoTrainer(DemoConfigs configs, TrainingBudget budget, long seed, PrintStream log) throws IOException {
    this.initial = configs;
    this.configs = configs;
    this.budget = budget;
    this.seed = seed;
    this.log = log;
    this.data = new ShapesData(seed);
    this.tokenizerFile = Files.createTempFile("magicvideo-demo-tokenizer", ".json");
    TokenizerFiles.writeWordLevel(tokenizerFile, DemoConfigs.VOCABULARY);
    this.tokenizer = ClipTokenizer.open(tokenizerFile, ClipTokenizerConfig.CLIP);
  }

  /**
   * The keyframe U-Net's loss weights high-noise clips up to {@code cap} times more (see {@link
   * DiffusionObjective}); 1, the default, weighs all alike.
   */
  public DemoTrainer keyframeWeightCap(float cap) {
    this.keyframeWeightCap = cap;
    return this;
  }

  /**
   * Weight of the keyframe stage's direction contrast (0, the default: off): each clip is also
   * denoised under its caption with another direction word, and a clip whose error under the right
   * caption is not at least {@code margin} (relative) below that under the wrong one adds to the
   * loss (see {@link DiffusionObjective#contrastiveLoss}). Costs a second forward pass per clip.
   */
  public DemoTrainer keyframeDirectionContrast(float weight, float margin) {
    if (!(weight >= 0) || !(margin >= 0)) {
      throw new IllegalArgumentException("direction contrast weight and margin must be >= 0, got " + weight
          + " and " + margin);
    }
    this.directionContrast = weight;
    this.directionMargin = margin;
    return this;
  }

  /**
   * Whether {@link #trainAll} trains the text encoder contrastively ({@link #trainTextContrastive})
   * before the keyframe stage (default: no, the keyframe stage trains it from scratch jointly).
   */
  public DemoTrainer textContrast(boolean pretrain) {
    this.textContrast = pretrain;
    return this;
  }

  /**
   * Share of the keyframe stage's (non-empty) prompts that name only some of their clip's
   * attributes ("a yellow", "a square moving up"; drawn as {@link ContrastiveText.PartialCaption#draw}
   * does). Default 0: every prompt is the whole caption. Meant to make the U-Net read each word on
   * its own, as a held-out combination of seen words needs; measured, it did not (a 1000-step
   * continuation at 0.5 lost held-out colour and shape against whole captions, see the README).
   */
  public DemoTrainer keyframePartialCaptions(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("keyframe partial-caption share must be in [0, 1], got " + share);
    }
    this.keyframePartialCaptions = share;
    return this;
  }

  /** Peak learning rate of the keyframe stage (default 5e-4; a continuation may want less). */
  public DemoTrainer keyframeLearningRate(float rate) {
    this.keyframeLearningRate = rate;
    return this;
  }

  /**
   * Whether {@link #trainKeyframes} also trains the text encoder (the default). A continuation
   * keeps it fixed so that the interpolation and super-resolution networks, trained against its
   * embeddings, stay valid.
   */
  public DemoTrainer trainTextEncoder(boolean train) {
    this.trainTextEncoder = train;
    return this;
  }

  /**
   * Whether {@link #trainAll} trains the interpolation and super-resolution networks on a second
   * thread while the keyframe U-Net trains (default: no, one stage after another). They need only
   * the VAE, the dataset and the text encoder, so this holds only when the keyframe stage keeps the
   * text encoder fixed ({@link #trainTextEncoder}{@code (false)}, the shipped recipe); otherwise
   * the stages run in order anyway. Each stage trains on the libtorch thread count the calling
   * thread has, and the weights are the same either way (every stage draws its batches, noise and
   * initial weights from its own seeded streams); on two cores their ~20 minutes then hide behind
   * the keyframe stage's (see the README for measured times).
   */
  public DemoTrainer parallel(boolean sideBySide) {
    this.parallel = sideBySide;
    return this;
  }

  /** Whether {@link #trainAll} runs the stages side by side (see {@link #parallel}). */
  public boolean parallel() {
    return parallel && !trainTextEncoder;
  }

  public DemoConfigs configs() {
    return configs;
  }

  public List<TrainingLoop.Result> results() {
    synchronized (results) {
      return List.copyOf(results);
    }
  }

  public Path tokenizerFile() {
    return tokenizerFile;
  }

  public VideoVae vae() {
    return vae;
  }

  public ClipTextEncoder textEncoder() {
    return textEncoder;
  }

  public VideoUNet keyframeUNet() {
    return keyframes;
  }

  public VideoUNet interpolationUNet() {
    return interpolation;
  }

  public VideoUNet upscaleUNet() {
    return upscale;
  }

  /**
   * Every stage, each after the ones it needs: the VAE, its temporal decoder, the dataset, the
   * contrastive text encoder (when the recipe has it), then the keyframe U-Net, and the
   * interpolation and super-resolution networks (beside it when {@link #parallel()}). {@link
   * #results} lists the stages in this order however they ran.
   */
  public void trainAll() {
    trainVae();
    trainTemporalDecoder();
    encodeDataset(true);
    if (textContrast) {
      trainTextContrastive();
    }
    if (!parallel()) {
      trainKeyframes();
      trainInterpolation();
      trainUpscaler();
      return;
    }
    int threads = JniUtils.getNumThreads();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread side = new Thread(() -> {
      try {
        // libtorch's (OpenMP's) thread count and grad mode are per thread: a new thread records
        // gradients unless told not to (the optimizer's in-place updates then fail), as DJL tells
        // the thread that starts the engine
        JniUtils.setNumThreads(threads);
        JniUtils.setGradMode(false);
        trainInterpolation();
        trainUpscaler();
      } catch (Throwable t) {
        log.println("interpolation / super-resolution failed (the keyframe stage goes on; the run then fails): " + t);
        failure.set(t);
      }
    }, "demo-trainer-interpolation-superres");
    log.printf("training the interpolation and super-resolution networks beside the keyframe U-Net "
        + "(%d libtorch thread(s) each)%n", threads);
    side.start();
    try {
      trainKeyframes();
    } finally {
      try {
        side.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the interpolation and super-resolution stages ran", e);
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the interpolation / super-resolution stage failed: " + failure.get(), failure.get());
    }
    synchronized (results) {
      List<String> order = List.of("keyframes", "interpolation", "superres");
      int tail = results.size() - order.size();
      List<TrainingLoop.Result> last = new ArrayList<>(results.subList(tail, results.size()));
      last.sort(Comparator.comparingInt(r -> order.indexOf(r.name())));
      results.subList(tail, results.size()).clear();
      results.addAll(last);
    }
  }

  /** Stage 1: the image VAE (encoder, decoder without its temporal layers) on single frames. */
  public TrainingLoop.Result trainVae() {
    vae = init(new VideoVae(initial.vae()), 3);
    int batch = budget.vaeBatch();
    return record(new TrainingLoop("vae", budget.vaeSteps(), 1e-3f, log).run(
        select(vae, n -> !isTemporal(n)), root, (m, step) -> {
          SplittableRandom r = random(1, step);
          List<VideoFrames> frames = new ArrayList<>();
          for (int i = 0; i < batch; i++) {
            frames.add(ShapesData.frames(data.motion(r.nextLong()), r.nextInt(ShapesData.FRAMES), 1,
                ShapesData.LOW_SIZE));
          }
          return vaeLoss(m, FrameTensors.toTensor(m, frames), noise(1, step));
        }));
  }

  /** Stage 2: the decoder's temporal attention layers on 16-frame clips (the rest frozen). */
  public TrainingLoop.Result trainTemporalDecoder() {
    int batch = budget.clipBatch();
    int frames = ShapesData.KEYFRAMES;
    return record(new TrainingLoop("vae-temporal", budget.temporalSteps(), 5e-4f, log).run(
        select(vae, DemoTrainer::isTemporal), root, (m, step) -> {
          SplittableRandom r = random(2, step);
          List<VideoFrames> clips = new ArrayList<>();
          for (int i = 0; i < batch; i++) {
            clips.add(ShapesData.frames(data.motion(r.nextLong()), r.nextInt(ShapesData.FRAMES - frames + 1), frames,
                ShapesData.LOW_SIZE));
          }
          return vaeLoss(m, FrameTensors.toTensor(m, clips), noise(2, step));
        }));
  }

  private NDArray vaeLoss(NDManager m, NDArray x, SeededNoise noise) {
    DiagonalGaussian posterior = vae.encode(x);
    NDArray z = posterior.sample(noise.gaussian(m, posterior.mean().getShape()));
    NDArray recon = vae.decode(z);
    long frames = x.getShape().get(0) * x.getShape().get(1);
    NDArray kl = Ops.scale(posterior.kl().sum(), KL_WEIGHT / frames);
    return recon.sub(x).square().mean().add(kl);
  }

  static boolean isTemporal(String name) {
    return name.contains("temp_attentions");
  }

  /**
   * Takes a trained VAE (with its scaling factor) from {@code model} instead of training one:
   * how ablations retrain one component against the shipped model's latents.
   */
  public void loadVae(ModelDirectory model) throws IOException {
    VaeConfig config = model.config(ModelComponents.VAE, VaeConfig.class);
    configs = configs.withVaeScaling(config.scalingFactor());
    vae = load(model, ModelComponents.VAE, new VideoVae(configs.vae()));
  }

  /** Takes the text encoder of {@code model} instead of training one (ablations keep it fixed). */
  public void loadTextEncoder(ModelDirectory model) throws IOException {
    textEncoder = load(model, ModelComponents.TEXT_ENCODER, new ClipTextEncoder(configs.text()));
    text = new TextConditioner(tokenizer, textEncoder);
  }

  /**
   * Takes every component of {@code model} (which must have this trainer's configs), so that
   * {@link #trainKeyframes}, {@link #trainInterpolation} and {@link #trainUpscaler} continue
   * training them instead of starting from scratch.
   */
  public void loadAll(ModelDirectory model) throws IOException {
    loadVae(model);
    loadTextEncoder(model);
    // the model's own keyframe U-Net, which a keyframes-fresh stage may replace by this recipe's
    keyframes = load(model, ModelComponents.KEYFRAME_UNET,
        new VideoUNet(model.config(ModelComponents.KEYFRAME_UNET, DenoiserConfig.class).unet()));
    interpolation = load(model, ModelComponents.INTERPOLATION_UNET, new VideoUNet(configs.interpolation().unet()));
    upscale = load(model, ModelComponents.SUPERRES_UNET, new VideoUNet(configs.upscale().unet()));
  }

  /**
   * Replaces the keyframe U-Net by a freshly initialised one (after {@link #loadAll}): retrains it
   * from scratch against a loaded, fixed text encoder that the other networks already know.
   */
  public void resetKeyframeUNet() {
    keyframes = init(new VideoUNet(configs.keyframes().unet()), 1);
  }

  /**
   * Replaces the text encoder by a freshly initialised one (after {@link #loadAll}), as a
   * from-scratch run starts it: the keyframe stage then trains it jointly again. The interpolation
   * and super-resolution networks know the old encoder's embeddings until their stages train too.
   */
  public void resetTextEncoder() {
    textEncoder = init(new ClipTextEncoder(configs.text()), 0);
    text = new TextConditioner(tokenizer, textEncoder);
  }

  private <M extends Module> M load(ModelDirectory model, String component, M module) throws IOException {
    Path file = model.weightsFile(component);
    module.loadWeights(SafeTensors.read(file, root), file.toString());
    return module;
  }

  /**
   * Encodes the dataset clips' 61 frames each to diffusion latents; with {@code measureScaling},
   * first sets the VAE's latent scaling factor to 1 / std of the encoder's means (as SD's 0.18215
   * was measured), else uses the one the VAE has.
   */
  public void encodeDataset(boolean measureScaling) {
    int clips = budget.datasetClips();
    float[] all = null;
    try (NDManager m = root.newSubManager()) {
      List<NDArray> parts = new ArrayList<>();
      for (int start = 0; start < clips; start += 8) {
        try (NDScope scope = new NDScope()) {
          List<VideoFrames> batch = new ArrayList<>();
          for (int i = start; i < Math.min(clips, start + 8); i++) {
            var motion = data.motion(i);
            motions.add(motion);
            batch.add(ShapesData.clip(motion, ShapesData.LOW_SIZE));
          }
          NDArray mean = vae.encode(FrameTensors.toTensor(m, batch)).mean();
          NDScope.unregister(mean); // the encoder's activations go, the means stay
          parts.add(mean);
        }
      }
      NDArray unscaled = concat(parts, 0);
      if (measureScaling) {
        float std = unscaled.sub(unscaled.mean()).square().mean().sqrt().getFloat();
        configs = configs.withVaeScaling(1f / std);
        vae = reload(vae, new VideoVae(configs.vae()));
      }
      latents = vae.scale(unscaled);
      latents.attach(root);
    }
    log.printf("dataset: %d clips x %d frames encoded, latent scaling factor %.4f%n", clips, ShapesData.FRAMES,
        configs.vae().scalingFactor());
  }

  /** Stage 3: the keyframe U-Net and the text encoder, jointly, on the dataset's keyframe latents. */
  public TrainingLoop.Result trainKeyframes() {
    if (textEncoder == null) {
      resetTextEncoder();
    }
    if (keyframes == null) {
      resetKeyframeUNet();
    }
    if (!keyframes.config().equals(configs.keyframes().unet())) {
      throw new IllegalStateException("the loaded keyframe U-Net is a " + keyframes.config() + ", this recipe trains a "
          + configs.keyframes().unet() + ": retrain it from scratch (stage keyframes-fresh)");
    }
    DiffusionObjective objective = new DiffusionObjective(configs.keyframes().scheduler(), keyframeWeightCap,
        configs.keyframes().frameNoiseCorrelation());
    Map<String, Param> params = new LinkedHashMap<>();
    if (trainTextEncoder) {
      textEncoder.namedParameters().forEach((n, p) -> params.put("text." + n, p));
    }
    keyframes.namedParameters().forEach((n, p) -> params.put("unet." + n, p));
    int batch = budget.clipBatch();
    return record(new TrainingLoop("keyframes", budget.keyframeSteps(), keyframeLearningRate, log).run(params, root, (m, step) -> {
      SplittableRandom r = random(3, step);
      long[] rows = rows(r, batch);
      NDArray clips = latents.get(m.create(rows)).get(new NDIndex(":, 0:{}:{}", ShapesData.FRAMES,
          ShapesData.KEY_STRIDE));
      List<String> prompts = keyframePartialCaptions == 0 ? prompts(rows, r) : partialPrompts(rows, r);
      NDArray fps = m.full(new Shape(batch), (float) ShapesData.FPS);
      Conditioning cond = Conditioning.text(text.embed(m, prompts)).withFps(fps);
      if (directionContrast == 0f) {
        return objective.loss(m, keyframes, clips, null, cond, noise(3, step), r);
      }
      List<String> wrong = new ArrayList<>();
      boolean[] contrasted = new boolean[batch];
      for (int i = 0; i < batch; i++) {
        Direction d = motions.get(Math.toIntExact(rows[i])).caption().direction();
        Direction other = Direction.values()[(d.ordinal() + 1 + r.nextInt(3)) % Direction.values().length];
        contrasted[i] = prompts.get(i).contains(" moving " + d.word());
        wrong.add(prompts.get(i).replace(" moving " + d.word(), " moving " + other.word()));
      }
      Conditioning wrongCond = Conditioning.text(text.embed(m, wrong)).withFps(fps);
      return objective.contrastiveLoss(m, keyframes, clips, cond, wrongCond, contrasted, directionContrast,
          directionMargin, noise(3, step), r);
    }));
  }

  /**
   * Stage 3a (optional): the text encoder alone, contrastively against a small encoder of the
   * dataset's keyframe latents ({@link ContrastiveText}), so that every word of the caption, the
   * direction of motion included, is kept apart in its features before the keyframe U-Net learns to
   * read them (then usually with the text encoder fixed, {@link #trainTextEncoder}).
   */
  public TrainingLoop.Result trainTextContrastive() {
    if (textEncoder == null) {
      resetTextEncoder();
    }
    ContrastiveText head = init(new ContrastiveText(ShapesData.KEYFRAMES, configs.vae().latentChannels(),
        configs.keyframes().sampleHeight(), configs.text().hidden(), configs.text().hidden()), 7);
    Map<String, Param> params = new LinkedHashMap<>();
    textEncoder.namedParameters().forEach((n, p) -> params.put("text." + n, p));
    head.namedParameters().forEach((n, p) -> params.put("head." + n, p));
    int batch = CONTRAST_BATCH;
    return record(new TrainingLoop("text-contrast", budget.textContrastSteps(), 1e-3f, log).run(params, root,
        (m, step) -> {
          SplittableRandom r = random(7, step);
          long[] rows = rows(r, batch);
          NDArray clips = latents.get(m.create(rows)).get(new NDIndex(":, 0:{}:{}", ShapesData.FRAMES,
              ShapesData.KEY_STRIDE));
          List<String> prompts = new ArrayList<>();
          List<ContrastiveText.PartialCaption> named = new ArrayList<>();
          for (int i = 0; i < batch; i++) {
            var c = motions.get(Math.toIntExact(rows[i])).caption();
            var partial = ContrastiveText.PartialCaption.draw(c, r, PARTIAL_CAPTIONS);
            named.add(partial);
            prompts.add(ShapesData.prompt(partial.text(), r, 0));
          }
          boolean[][] matches = new boolean[batch][batch];
          for (int i = 0; i < batch; i++) {
            for (int j = 0; j < batch; j++) {
              matches[i][j] = named.get(j).matches(motions.get(Math.toIntExact(rows[i])).caption());
            }
          }
          NDArray ids = text.ids(m, prompts);
          NDArray pooled = textEncoder.pooled(textEncoder.encode(ids), ids);
          return head.loss(m, head.embedClips(clips), head.embedTexts(pooled), matches);
        }));
  }

  /** Stage 4: the interpolation U-Net on windows [key, 3 frames, key] of the dataset's latents. */
  public TrainingLoop.Result trainInterpolation() {
    if (interpolation == null) {
      interpolation = init(new VideoUNet(configs.interpolation().unet()), 2);
    }
    DiffusionObjective objective = new DiffusionObjective(configs.interpolation().scheduler());
    int batch = budget.windowBatch();
    int between = ShapesData.KEY_STRIDE - 1;
    return record(new TrainingLoop("interpolation", budget.interpolationSteps(), 5e-4f, log).run(
        interpolation.namedParameters(), root, (m, step) -> {
          SplittableRandom r = random(4, step);
          long[] rows = rows(r, batch);
          NDArray picked = latents.get(m.create(rows));
          List<NDArray> windows = new ArrayList<>();
          for (int i = 0; i < batch; i++) {
            int pair = r.nextInt(ShapesData.KEYFRAMES - 1);
            int first = pair * ShapesData.KEY_STRIDE;
            windows.add(picked.get(new NDIndex("{}:{}, {}:{}", i, i + 1, first, first + ShapesData.KEY_STRIDE + 1)));
          }
          NDArray clean = concat(windows, 0);
          NDArray keys = clean.get(new NDIndex(":, 0:{}:{}", ShapesData.KEY_STRIDE + 1, ShapesData.KEY_STRIDE));
          NDArray given = LatentInterpolation.conditioning(keys, between);
          Conditioning cond = Conditioning.text(text.embed(m, prompts(rows, r)))
              .withFps(m.full(new Shape(batch), (float) ShapesData.FPS));
          return objective.loss(m, interpolation, clean, given, cond, noise(4, step), r);
        }));
  }

  /**
   * Stage 5: x4 pixel-space super-resolution of the VAE's reconstructions (what it upscales at
   * generation time) to the world rendered at 128 pixels, with the low-res input noise-augmented
   * at a random level (the level is an input of the network, as in SD's x4 upscaler).
   */
  public TrainingLoop.Result trainUpscaler() {
    if (upscale == null) {
      upscale = init(new VideoUNet(configs.upscale().unet()), 4);
    }
    DiffusionObjective objective = new DiffusionObjective(configs.upscale().scheduler());
    NoiseSchedule schedule = new NoiseSchedule(configs.upscale().scheduler());
    int batch = budget.upscaleBatch();
    int frames = budget.upscaleFrames();
    if (frames > configs.upscale().unet().numFrames()) {
      throw new IllegalArgumentException("super-resolution trains on chunks of " + frames
          + " frames, more than its config's numFrames " + configs.upscale().unet().numFrames());
    }
    int factor = configs.upscale().upscaleFactor();
    return record(new TrainingLoop("superres", budget.upscaleSteps(), 5e-4f, log).run(
        upscale.namedParameters(), root, (m, step) -> {
          SplittableRandom r = random(5, step);
          List<VideoFrames> high = new ArrayList<>();
          List<VideoFrames> low = new ArrayList<>();
          int[][] crops = new int[batch][];
          long[] rows = rows(r, batch);
          for (int i = 0; i < batch; i++) {
            var motion = motions.get(Math.toIntExact(rows[i]));
            int first = r.nextInt(ShapesData.FRAMES - frames + 1);
            high.add(ShapesData.frames(motion, first, frames, ShapesData.HIGH_SIZE));
            low.add(ShapesData.frames(motion, first, frames, ShapesData.LOW_SIZE));
            crops[i] = cropOrigin(motion, (first + frames / 2.0) / (ShapesData.FRAMES - 1), factor, r);
          }
          NDArray lowFrames = FrameTensors.toTensor(m, low);
          // the VAE's reconstruction, as the decoder would hand it over
          NDArray recon = vae.decode(vae.encode(lowFrames).mean()).clip(-1f, 1f);
          float[] levels = new float[batch];
          float[] keep = new float[batch];
          float[] add = new float[batch];
          for (int i = 0; i < batch; i++) {
            int level = r.nextInt(101);
            levels[i] = level;
            keep[i] = (float) Math.sqrt(schedule.alphaCumprod(level));
            add[i] = (float) Math.sqrt(1 - schedule.alphaCumprod(level));
          }
          Shape perClip = new Shape(batch, 1, 1, 1, 1);
          NDArray augmented = recon.mul(m.create(keep, perClip))
              .add(noise(6, step).gaussian(m, recon.getShape()).mul(m.create(add, perClip)));
          Shape s = augmented.getShape();
          NDArray upsampled = Ops.upsampleNearest(augmented.reshape(s.get(0) * s.get(1), 3, s.get(3), s.get(4)), factor)
              .reshape(s.get(0), s.get(1), 3, s.get(3) * factor, s.get(4) * factor);
          NDArray target = FrameTensors.toTensor(m, high);
          NDArray given = crop(upsampled, crops);
          NDArray clean = crop(target, crops);
          Conditioning cond = Conditioning.text(text.embed(m, prompts(rows, r))).withNoiseLevel(m.create(levels));
          return objective.loss(m, upscale, clean, given, cond, noise(5, step), r);
        }));
  }

  /** Side of the high-res crops super-resolution trains on: convolutions do not care, 1/4 of the cost. */
  static final int UPSCALE_CROP = 64;

  /**
   * Top-left corner (y, x) of a crop of the high-res frame around the shape's centre at time
   * {@code t}, jittered, on the low-res pixel grid (a multiple of {@code factor}).
   */
  private static int[] cropOrigin(ShapesWorld.Motion motion, double t, int factor, SplittableRandom r) {
    int max = ShapesData.HIGH_SIZE - UPSCALE_CROP;
    int jitter = UPSCALE_CROP / 4;
    int y = (int) (motion.y(t) * ShapesData.HIGH_SIZE) - UPSCALE_CROP / 2 + r.nextInt(-jitter, jitter + 1);
    int x = (int) (motion.x(t) * ShapesData.HIGH_SIZE) - UPSCALE_CROP / 2 + r.nextInt(-jitter, jitter + 1);
    return new int[] {Math.max(0, Math.min(max, y)) / factor * factor, Math.max(0, Math.min(max, x)) / factor * factor};
  }

  /** Row i of (B, F, C, H, W) cropped to UPSCALE_CROP pixels at {@code origins[i]}. */
  private static NDArray crop(NDArray frames, int[][] origins) {
    List<NDArray> rows = new ArrayList<>();
    for (int i = 0; i < origins.length; i++) {
      rows.add(frames.get(new NDIndex("{}:{}, :, :, {}:{}, {}:{}", i, i + 1, origins[i][0],
          origins[i][0] + UPSCALE_CROP, origins[i][1], origins[i][1] + UPSCALE_CROP)));
    }
    return concat(rows, 0);
  }

  // ---------------------------------------------------------------------------------------------

  private TrainingLoop.Result record(TrainingLoop.Result result) {
    synchronized (results) {
      results.add(result);
    }
    log.printf("%s: %d steps in %.0f s; probe-batch loss %.5f -> %.5f%n", result.name(),
        result.losses().length, result.seconds(), result.probeBefore(), result.probeAfter());
    return result;
  }

  private <M extends Module> M init(M module, long stream) {
    module.initialize(root, seed * 31 + stream);
    return module;
  }

  /** {@code fresh} (another config of the same shapes) with {@code old}'s weights. */
  private <M extends Module> M reload(Module old, M fresh) {
    fresh.loadWeights(old.stateDict(), "trained " + old.getClass().getSimpleName());
    return fresh;
  }

  private static Map<String, Param> select(Module module, Predicate<String> names) {
    Map<String, Param> out = new LinkedHashMap<>();
    module.namedParameters().forEach((n, p) -> {
      if (names.test(n)) {
        out.put(n, p);
      }
    });
    return out;
  }

  private long[] rows(SplittableRandom r, int batch) {
    long[] rows = new long[batch];
    for (int i = 0; i < batch; i++) {
      rows[i] = r.nextInt(motions.size());
    }
    return rows;
  }

  private List<String> prompts(long[] rows, SplittableRandom r) {
    List<String> out = new ArrayList<>();
    for (long row : rows) {
      out.add(ShapesData.prompt(motions.get(Math.toIntExact(row)).caption(), r, CAPTION_DROPOUT));
    }
    return out;
  }

  /** {@link #prompts}, with {@link #keyframePartialCaptions} of the non-empty ones partial. */
  private List<String> partialPrompts(long[] rows, SplittableRandom r) {
    List<String> out = new ArrayList<>();
    for (long row : rows) {
      out.add(partialPrompt(motions.get(Math.toIntExact(row)).caption(), r, keyframePartialCaptions));
    }
    return out;
  }

  /**
   * A training prompt for a clip of {@code caption}: empty with {@link #CAPTION_DROPOUT}, else a
   * {@link ContrastiveText.PartialCaption} of it that names only some attributes with probability
   * {@code share}, or all of them.
   */
  static String partialPrompt(Caption caption, SplittableRandom r, double share) {
    String named = ContrastiveText.PartialCaption.draw(caption, r, share).text();
    return ShapesData.prompt(named, r, CAPTION_DROPOUT);
  }

  private static NDArray concat(List<NDArray> parts, int axis) {
    return NDArrays.concat(new NDList(parts), axis);
  }

  private SplittableRandom random(long stage, long step) {
    return new SplittableRandom(SeededNoise.forSeed(seed).split(stage).split(step).seed());
  }

  private SeededNoise noise(long stage, long step) {
    return SeededNoise.forSeed(seed).split(100 + stage).split(step);
  }

  @Override
  public void close() throws IOException {
    tokenizer.close();
    root.close();
    Files.deleteIfExists(tokenizerFile);
  }
}
