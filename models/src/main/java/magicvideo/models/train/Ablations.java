package magicvideo.models.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.DenoiserConfig;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.LatentClip;
import magicvideo.models.generate.ModelComponents;
import magicvideo.models.generate.Stage;
import magicvideo.models.generate.VideoGenerator;
import magicvideo.models.generate.VideoRequest;
import magicvideo.models.io.AtomicFiles;
import magicvideo.models.io.Flags;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.SafeTensors;
import magicvideo.models.nn.DirectedTemporalAttention.Mode;
import magicvideo.models.shapes.Caption;
import magicvideo.models.shapes.ShapesEvaluation;
import magicvideo.models.shapes.ShapesWorld;
import magicvideo.models.text.ClipTokenizerConfig;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.vae.VaeConfig;

/**
 * The demo's ablations, each variant trained (where training is what differs) with the same
 * budget and evaluated by the same analysis:
 *
 * <ul>
 *   <li>keyframe U-Net: directed vs bidirectional temporal attention, frame adaptor on vs off
 *       (each trained from scratch with its text encoder against the shipped VAE's latents);
 *   <li>VideoVAE: temporal decoder vs the same decoder per frame (flicker of area and colour);
 *   <li>sampler: DDIM 50 steps vs DPM-Solver++ 20 steps on the shipped keyframe model.
 * </ul>
 *
 * <pre>
 * java -cp ... magicvideo.models.train.Ablations --model=models/demo --output=DIR [--steps=1000] [--seed=1]
 *     [--stride=1] [--variants=directed,bidirectional,no-adaptor] [--noiseCorrelation=0] [--keyframeWeightCap=1]
 * </pre>
 *
 * {@code --steps=0} skips the keyframe variants; {@code --variants} trains only the listed ones;
 * {@code --noiseCorrelation} and {@code --keyframeWeightCap} train (and sample) every keyframe
 * variant with frame-correlated noise ({@link magicvideo.models.sampling.FrameCorrelatedNoise}) and
 * the high-noise loss weighting ({@link DiffusionObjective}).
 * Keyframe variants are judged on their 16 decoded keyframes (32x32): colour, shape and direction
 * do not need the later stages. Writes {@code DIR/ablations.json} and {@code DIR/ablations.md}.
 */
public final class Ablations {
  /** One evaluated variant: the summaries of ShapesEvaluation and the sampling time per video. */
  public record Row(String ablation, String variant, ShapesEvaluation.Summary seen,
      ShapesEvaluation.Summary heldOut, ShapesEvaluation.Summary all, double secondsPerVideo) {}

  private static final int EVAL_BATCH = 12;
  private static final long EVAL_SEED = 1000;

  private final ModelDirectory shipped;
  private final Path output;
  private final int steps;
  private final long seed;
  private final List<Caption> captions;
  private final List<String> variants;
  private final double noiseCorrelation;
  private final float weightCap;
  private final PrintStream log;

  /** The keyframe variants' flag names ({@code --variants}), in the order they are trained. */
  static final List<String> VARIANTS = List.of("directed", "bidirectional", "no-adaptor");

  /** {@code stride}: evaluate every stride-th caption of the world (1: all 84). */
  Ablations(ModelDirectory shipped, Path output, int steps, long seed, int stride, List<String> variants,
      PrintStream log) {
    this(shipped, output, steps, seed, stride, variants, 0, 1f, log);
  }

  Ablations(ModelDirectory shipped, Path output, int steps, long seed, int stride, List<String> variants,
      double noiseCorrelation, float weightCap, PrintStream log) {
    magicvideo.models.sampling.FrameCorrelatedNoise.check(noiseCorrelation);
    if (!(weightCap >= 1f)) {
      throw new IllegalArgumentException("--keyframeWeightCap must be >= 1 (1: unweighted), got " + weightCap);
    }
    this.noiseCorrelation = noiseCorrelation;
    this.weightCap = weightCap;
    for (String v : variants) {
      if (!VARIANTS.contains(v)) {
        throw new IllegalArgumentException("--variants: unknown keyframe variant " + v + " (known: " + VARIANTS + ")");
      }
    }
    this.variants = variants;
    this.shipped = shipped;
    this.output = output;
    this.steps = steps;
    this.seed = seed;
    List<Caption> all = ShapesWorld.allCaptions();
    this.captions = java.util.stream.IntStream.range(0, all.size()).filter(i -> i % stride == 0)
        .mapToObj(all::get).toList();
    this.log = log;
  }

  public static void main(String[] args) throws IOException {
    TrainingLoop.defaultToOneThread();
    String usage = "flags: --model=DIR --output=DIR --steps=1000 --seed=1 --stride=1 --variants="
        + String.join(",", VARIANTS) + " --noiseCorrelation=0 --keyframeWeightCap=1";
    Flags flags = Flags.parse(args, List.of("model", "output", "steps", "seed", "stride", "variants",
        "noiseCorrelation", "keyframeWeightCap"), usage);
    Path model = Path.of(flags.required("model"));
    Path out = Path.of(flags.required("output"));
    Files.createDirectories(out);
    new Ablations(ModelDirectory.open(model), out, flags.intValue("steps", 1000), flags.longValue("seed", 1),
        flags.intValue("stride", 1), List.of(flags.get("variants", String.join(",", VARIANTS)).split(",")),
        flags.doubleValue("noiseCorrelation", 0), flags.floatValue("keyframeWeightCap", 1), System.out).runAll();
  }

  void runAll() throws IOException {
    List<Row> rows = new ArrayList<>();
    GenerationSettings defaults = GenerationSettings.defaults();
    UNetConfig base = shipped.config(ModelComponents.KEYFRAME_UNET, DenoiserConfig.class).unet();
    // flag name -> (row label, config), in the order of VARIANTS
    Map<String, Map.Entry<String, UNetConfig>> known = Map.of(
        "directed", Map.entry("directed attention + adaptor (MagicVideo)", base),
        "bidirectional", Map.entry("bidirectional attention + adaptor", base.withTemporal(Mode.BIDIRECTIONAL)),
        "no-adaptor", Map.entry("directed attention, no adaptor", base.withFrameAdaptor(false)));
    Map<String, UNetConfig> keyframeVariants = new LinkedHashMap<>();
    VARIANTS.stream().filter(variants::contains).map(known::get)
        .forEach(e -> keyframeVariants.put(e.getKey(), e.getValue()));
    // --steps=0: only the rows that need no training (sampler, decoder)
    for (var v : steps > 0 ? keyframeVariants.entrySet() : Map.<String, UNetConfig>of().entrySet()) {
      Path dir = trainKeyframeVariant(v.getKey(), v.getValue());
      rows.add(evaluateKeyframes("keyframe U-Net (" + steps + " steps each)", v.getKey(), dir, defaults));
    }
    Path shippedDir = shipped.root();
    rows.add(evaluateKeyframes("sampler (shipped model)", "DPM-Solver++ 2M, 20 steps", shippedDir,
        defaults.withSampler("dpmpp-2m").withSteps(20)));
    rows.add(evaluateKeyframes("sampler (shipped model)", "DDIM, 50 steps", shippedDir,
        defaults.withSampler("ddim").withSteps(50)));
    rows.addAll(evaluateDecoders(defaults));
    write(rows);
  }

  /**
   * Trains the keyframe U-Net {@code unet} from scratch as the shipped one was: on its schedule,
   * against its text encoder (fixed) and its VAE's latents; returns a model using them.
   */
  private Path trainKeyframeVariant(String name, UNetConfig unet) throws IOException {
    log.println("== ablation: " + name);
    TrainingBudget standard = TrainingBudget.standard();
    TrainingBudget budget = new TrainingBudget(1, 1, 1, standard.clipBatch(), standard.datasetClips(), steps, 1, 1,
        1, 1, 1, 1);
    Path dir = output.resolve("models").resolve(slug(name));
    DenoiserConfig keyframes = shipped.config(ModelComponents.KEYFRAME_UNET, DenoiserConfig.class);
    DemoConfigs configs = DemoConfigs.standard().withKeyframes(keyframes.withUNet(unet))
        .withKeyframeNoiseCorrelation(noiseCorrelation);
    try (DemoTrainer trainer = new DemoTrainer(configs, budget, seed, log).keyframeWeightCap(weightCap)
        .trainTextEncoder(false)) {
      trainer.loadVae(shipped);
      trainer.loadTextEncoder(shipped);
      trainer.encodeDataset(false);
      trainer.trainKeyframes();
      DemoConfigs c = trainer.configs();
      ModelDirectory.deleteIfExists(dir);
      builder("keyframe ablation: " + name)
          .component(ModelComponents.TEXT_ENCODER, c.text(), trainer.textEncoder().stateDict())
          .component(ModelComponents.KEYFRAME_UNET, c.keyframes(), trainer.keyframeUNet().stateDict())
          .componentFile(ModelComponents.VAE, shipped.config(ModelComponents.VAE, VaeConfig.class),
              shipped.weightsFile(ModelComponents.VAE))
          .write(dir);
    }
    return dir;
  }

  /** One clip per caption of the world: keyframes, decoded, analysed. */
  private Row evaluateKeyframes(String ablation, String variant, Path model, GenerationSettings settings)
      throws IOException {
    ShapesEvaluation eval = new ShapesEvaluation();
    long start = System.nanoTime();
    try (VideoGenerator g = VideoGenerator.open(ModelDirectory.open(model), EnumSet.of(Stage.KEYFRAMES, Stage.DECODE),
        Engine.getInstance().defaultDevice())) {
      for (int from = 0; from < captions.size(); from += EVAL_BATCH) {
        List<VideoRequest> batch = requests(captions.subList(from, Math.min(captions.size(), from + EVAL_BATCH)));
        List<VideoFrames> clips = g.decode(g.keyframes(batch, settings), settings);
        for (int i = 0; i < batch.size(); i++) {
          eval.add(batch.get(i).id(), batch.get(i).prompt(), clips.get(i));
        }
      }
    }
    return row(ablation, variant, eval, (System.nanoTime() - start) / 1e9 / captions.size());
  }

  /**
   * The shipped model's dense latents (keyframes + interpolation) decoded by its VideoVAE and by
   * the same decoder without its temporal layers, frame by frame.
   */
  private List<Row> evaluateDecoders(GenerationSettings settings) throws IOException {
    Path perFrame = output.resolve("models").resolve("per-frame-vae");
    ModelDirectory.deleteIfExists(perFrame);
    VaeConfig vae = shipped.config(ModelComponents.VAE, VaeConfig.class);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> weights = new LinkedHashMap<>(SafeTensors.read(shipped.weightsFile(ModelComponents.VAE), m));
      weights.keySet().removeIf(DemoTrainer::isTemporal);
      builder("the shipped VAE without its temporal layers").component(ModelComponents.VAE, vae.imageOnly(), weights)
          .write(perFrame);
    }
    ShapesEvaluation temporal = new ShapesEvaluation();
    ShapesEvaluation framewise = new ShapesEvaluation();
    try (VideoGenerator g = VideoGenerator.open(shipped,
            EnumSet.of(Stage.KEYFRAMES, Stage.INTERPOLATE, Stage.DECODE), Engine.getInstance().defaultDevice());
        VideoGenerator frames = VideoGenerator.open(ModelDirectory.open(perFrame), Set.of(Stage.DECODE),
            Engine.getInstance().defaultDevice())) {
      for (int from = 0; from < captions.size(); from += EVAL_BATCH) {
        List<VideoRequest> batch = requests(captions.subList(from, Math.min(captions.size(), from + EVAL_BATCH)));
        List<LatentClip> dense = g.interpolate(batch, g.keyframes(batch, settings), settings);
        List<VideoFrames> a = g.decode(dense, settings);
        List<VideoFrames> b = frames.decode(dense, settings);
        for (int i = 0; i < batch.size(); i++) {
          temporal.add(batch.get(i).id(), batch.get(i).prompt(), a.get(i));
          framewise.add(batch.get(i).id(), batch.get(i).prompt(), b.get(i));
        }
      }
    }
    return List.of(row("VideoVAE decoder (shipped model, 61 frames)", "temporal attention", temporal, 0),
        row("VideoVAE decoder (shipped model, 61 frames)", "per frame", framewise, 0));
  }

  private static List<VideoRequest> requests(List<Caption> captions) {
    List<VideoRequest> out = new ArrayList<>();
    for (Caption c : captions) {
      out.add(new VideoRequest(slug(c.text()), c.text(), "", EVAL_SEED + ShapesWorld.allCaptions().indexOf(c)));
    }
    return out;
  }

  private Row row(String ablation, String variant, ShapesEvaluation eval, double seconds) {
    ShapesEvaluation.Report r = eval.report();
    Row row = new Row(ablation, variant, r.seen(), r.heldOut(), r.all(), seconds);
    log.printf("%s / %s: seen colour %.2f direction %.2f; held-out colour %.2f direction %.2f; shape %.2f; "
            + "area flicker %.3f colour flicker %.3f%n", ablation, variant, r.seen().colour(), r.seen().direction(),
        r.heldOut().colour(), r.heldOut().direction(), r.all().shape(), r.all().areaFlicker(),
        r.all().colourFlicker());
    return row;
  }

  private ModelDirectory.Builder builder(String description) throws IOException {
    return ModelDirectory.builder(shipped.manifest().name() + "-ablation", shipped.manifest().version(), description)
        .tokenizer(shipped.tokenizerFile(), ClipTokenizerConfig.CLIP);
  }

  private void write(List<Row> rows) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("model", shipped.manifest().name() + " " + shipped.manifest().version());
    record.put("keyframeSteps", steps);
    record.put("seed", seed);
    record.put("noiseCorrelation", noiseCorrelation);
    record.put("keyframeWeightCap", weightCap);
    record.put("captions", captions.size());
    record.put("rows", rows);
    AtomicFiles.write(output.resolve("ablations.json"), json.writeValueAsBytes(record));
    StringBuilder md = new StringBuilder();
    md.append("| ablation | variant | seen colour | seen direction | held-out colour | held-out direction | shape "
        + "| all three | area flicker | colour flicker | path RMS | s/video |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.ablation(),
          r.variant(), pct(r.seen().colour()), pct(r.seen().direction()), pct(r.heldOut().colour()),
          pct(r.heldOut().direction()), pct(r.all().shape()), pct(r.all().allThree()), num(r.all().areaFlicker()),
          num(r.all().colourFlicker()), num(r.all().pathRms()),
          r.secondsPerVideo() > 0 ? String.format("%.2f", r.secondsPerVideo()) : "-"));
    }
    AtomicFiles.write(output.resolve("ablations.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    log.print(md);
  }

  private static String pct(Double v) {
    return v == null ? "-" : String.format("%.0f%%", 100 * v);
  }

  private static String num(Double v) {
    return v == null ? "-" : String.format("%.3f", v);
  }

  private static String slug(String s) {
    return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
