package magicvideo.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import magicvideo.models.generate.ModelComponents;
import magicvideo.models.io.AtomicFiles;
import magicvideo.models.io.Flags;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.Sha256;
import magicvideo.models.text.ClipTokenizerConfig;

/**
 * Trains the demo model and writes it as a model directory:
 *
 * <pre>
 * java -cp ... magicvideo.models.train.TrainDemo --output=models/demo [--seed=1] [--budget=standard|smoke]
 *     [--scale=1.0] [--from=DIR --stages=[text-fresh,][text-contrast,]keyframes|keyframes-fresh,interpolation,superres]
 *     [--keyframeWeightCap=1] [--trainText=false] [--keyframeLearningRate=5e-4] [--directionContrast=0]
 *     [--directionMargin=0.1] [--keyframeSteps=N] [--zeroTerminalSnr=true]
 *     [--textTimeEmbedding=true] [--textContrast=true] [--keyframePartialCaptions=0] [--parallel=true]
 * </pre>
 *
 * The defaults are the shipped model's recipe ({@link Recipe#DEFAULT}); {@code --trainText=true
 * --zeroTerminalSnr=false --textTimeEmbedding=false --textContrast=false} is the first models'
 * ({@link Recipe#JOINT}).
 *
 * {@code --parallel=true} (the default) trains the interpolation and super-resolution networks on a
 * second thread beside the keyframe U-Net, when the recipe keeps the text encoder fixed there
 * ({@link DemoTrainer#parallel}); the weights are the same as with {@code --parallel=false}.
 *
 * {@code --textContrast=true} trains the text encoder contrastively against the clips before the
 * keyframe stage ({@link DemoTrainer#trainTextContrastive}; in a continuation, stage {@code
 * text-contrast}); {@code --keyframeWeightCap} weighs the keyframe loss of high-noise clips up to
 * that many times more (see {@link DiffusionObjective}); {@code --trainText=false} keeps the text
 * encoder fixed while the keyframe U-Net trains (after the contrastive stage, or in a continuation
 * whose other networks know its embeddings); {@code --directionContrast=W} adds the direction contrast to the keyframe loss ({@link
 * DemoTrainer#keyframeDirectionContrast}); {@code --keyframeSteps} overrides the budget's keyframe
 * steps (after {@code --scale}); {@code --zeroTerminalSnr=true} trains the keyframe U-Net on the
 * zero-terminal-SNR schedule with v-prediction ({@link DemoConfigs#withKeyframeZeroTerminalSnr});
 * {@code --textTimeEmbedding=true} gives it the pooled prompt in its timestep embedding ({@link
 * DemoConfigs#withKeyframeTextTimeEmbedding}; a continuation then needs stage keyframes-fresh).
 *
 * With {@code --from}, the model in DIR is loaded and only the listed diffusion stages train on
 * (with their budget), continuing from its weights; {@code keyframes-fresh} retrains the keyframe
 * U-Net from a fresh initialisation instead (with {@code --trainText=false}: against DIR's text
 * encoder, which the interpolation and super-resolution networks were trained with); {@code text-fresh}
 * re-initialises the text encoder, which the next keyframe stage then trains from scratch with the
 * U-Net, as a from-scratch run does. Prints every stage's progress and losses; also
 * writes {@code training.json} (budget, seconds and the loss summary of every stage, and for a
 * continuation the record of the model it continued) next to model.json.
 */
public final class TrainDemo {
  public static final String NAME = "magicvideo-shapes-demo";
  public static final String TRAINING_FILE = "training.json";

  private TrainDemo() {}

  public static void main(String[] args) throws IOException {
    TrainingLoop.defaultToOneThread();
    Flags flags = Flags.parse(args, List.of("output", "seed", "budget", "scale", "from", "stages",
        "keyframeWeightCap", "trainText", "keyframeLearningRate", "directionContrast", "directionMargin",
        "keyframeSteps", "zeroTerminalSnr", "textTimeEmbedding", "textContrast", "keyframePartialCaptions", "parallel"),
        "usage: bin/magicvideo train --output=DIR [--seed=1] [--budget=standard|smoke] [--scale=1] [--from=DIR "
            + "--stages=...] and the recipe's flags (see TrainDemo)");
    String output = flags.get("output", "");
    if (output.isEmpty()) {
      throw new IllegalArgumentException("--output=DIR is required: where the model directory is written");
    }
    TrainingBudget budget = switch (flags.get("budget", "standard")) {
      case "standard" -> TrainingBudget.standard();
      case "smoke" -> TrainingBudget.smoke();
      default -> throw new IllegalArgumentException("--budget must be standard or smoke, got " + flags.get("budget", ""));
    };
    budget = budget.scaled(flags.doubleValue("scale", 1));
    if (flags.has("keyframeSteps")) {
      budget = budget.withKeyframeSteps(flags.intValue("keyframeSteps", 0));
    }
    long seed = flags.longValue("seed", 1);
    Recipe d = Recipe.DEFAULT;
    Recipe recipe = new Recipe(flags.floatValue("keyframeWeightCap", d.keyframeWeightCap()),
        flags.booleanValue("trainText", d.trainText()), flags.floatValue("keyframeLearningRate", d.keyframeLearningRate()),
        flags.floatValue("directionContrast", d.directionContrast()),
        flags.floatValue("directionMargin", d.directionMargin()),
        flags.booleanValue("zeroTerminalSnr", d.zeroTerminalSnr()),
        flags.booleanValue("textTimeEmbedding", d.textTimeEmbedding()),
        flags.booleanValue("textContrast", d.textContrast()),
        flags.doubleValue("keyframePartialCaptions", d.keyframePartialCaptions()));
    if (flags.has("from")) {
      // --stages= (empty) trains nothing: the model is written again with this build's configs
      List<String> stages = java.util.Arrays.stream(flags.get("stages", "keyframes").split(","))
          .filter(stage -> !stage.isBlank()).toList();
      resume(ModelDirectory.open(Path.of(flags.required("from"))), stages, Path.of(output), budget, recipe, seed,
          System.out);
    } else {
      train(Path.of(output), budget, recipe, seed, flags.booleanValue("parallel", true), System.out);
    }
  }

  /**
   * How the keyframe stage trains, beyond its budget.
   *
   * @param keyframeWeightCap see {@link DemoTrainer#keyframeWeightCap}
   * @param trainText see {@link DemoTrainer#trainTextEncoder}
   * @param keyframeLearningRate see {@link DemoTrainer#keyframeLearningRate}
   * @param directionContrast weight of the direction contrast, see {@link
   *     DemoTrainer#keyframeDirectionContrast} (0: off)
   * @param directionMargin its relative margin
   * @param zeroTerminalSnr whether the keyframe U-Net trains (and is sampled) on the zero-terminal-SNR
   *     schedule, see {@link DemoConfigs#withKeyframeZeroTerminalSnr}
   * @param textTimeEmbedding whether the keyframe U-Net adds the pooled prompt to its timestep
   *     embedding, see {@link DemoConfigs#withKeyframeTextTimeEmbedding}
   * @param textContrast whether a from-scratch run first trains the text encoder contrastively
   *     against the clips, see {@link DemoTrainer#trainTextContrastive}
   * @param keyframePartialCaptions share of the keyframe stage's prompts that name only some
   *     attributes of their clip, see {@link DemoTrainer#keyframePartialCaptions}
   */
  public record Recipe(float keyframeWeightCap, boolean trainText, float keyframeLearningRate,
      float directionContrast, float directionMargin, boolean zeroTerminalSnr, boolean textTimeEmbedding,
      boolean textContrast, double keyframePartialCaptions) {
    /**
     * The shipped model's recipe and the flags' defaults: the text encoder trained contrastively
     * against the clips, then kept fixed while the keyframe U-Net trains (plain MSE, peak learning
     * rate 5e-4, no direction contrast) on the zero-terminal-SNR schedule with v-prediction and the
     * pooled prompt in its timestep embedding.
     */
    public static final Recipe DEFAULT = new Recipe(1f, false, 5e-4f, 0f, 0.1f, true, true, true, 0);

    /**
     * The first shipped models' recipe: the text encoder trained from scratch jointly with the
     * keyframe U-Net, SD's schedule with epsilon prediction, no text-time embedding (its direction
     * words collapse: see the README).
     */
    public static final Recipe JOINT = new Recipe(1f, true, 5e-4f, 0f, 0.1f, false, false, false, 0);

    /** The demo's configs with this recipe's keyframe schedule and keyframe U-Net. */
    public DemoConfigs configs() {
      DemoConfigs c = zeroTerminalSnr ? DemoConfigs.standard().withKeyframeZeroTerminalSnr() : DemoConfigs.standard();
      return textTimeEmbedding ? c.withKeyframeTextTimeEmbedding() : c;
    }

    DemoTrainer applyTo(DemoTrainer trainer) {
      return trainer.keyframeWeightCap(keyframeWeightCap).trainTextEncoder(trainText)
          .keyframeLearningRate(keyframeLearningRate).keyframeDirectionContrast(directionContrast, directionMargin)
          .textContrast(textContrast).keyframePartialCaptions(keyframePartialCaptions);
    }
  }

  /**
   * Continues training {@code stages} (keyframes, interpolation, superres) of {@code from} with
   * {@code budget}'s steps for them, and writes the result to {@code output}.
   */
  public static ModelDirectory resume(ModelDirectory from, List<String> stages, Path output, TrainingBudget budget,
      Recipe recipe, long seed, PrintStream log) throws IOException {
    ModelDirectory.checkTarget(output);
    long start = System.nanoTime();
    try (DemoTrainer trainer = recipe.applyTo(new DemoTrainer(recipe.configs(), budget, seed, log))) {
      trainer.loadAll(from);
      trainer.encodeDataset(false);
      for (String stage : stages) {
        switch (stage) {
          case "keyframes" -> trainer.trainKeyframes();
          case "keyframes-fresh" -> {
            trainer.resetKeyframeUNet();
            trainer.trainKeyframes();
          }
          case "text-fresh" -> trainer.resetTextEncoder();
          case "text-contrast" -> trainer.trainTextContrastive();
          case "interpolation" -> trainer.trainInterpolation();
          case "superres" -> trainer.trainUpscaler();
          default -> throw new IllegalArgumentException(
              "--stages takes text-fresh, text-contrast, keyframes, keyframes-fresh, interpolation, superres; got " + stage);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      ModelDirectory model = write(trainer, output, seed, from.manifest().version());
      Path previous = from.root().resolve(TRAINING_FILE);
      Map<String, Object> continued = new LinkedHashMap<>();
      continued.put("model", from.manifest().name() + " " + from.manifest().version());
      if (java.nio.file.Files.isRegularFile(previous)) {
        continued.put("training", new ObjectMapper().readValue(previous.toFile(), Map.class));
      }
      writeRecord(output.resolve(TRAINING_FILE), trainer, budget, recipe, seed, seconds, continued);
      return model;
    }
  }

  /**
   * Trains every component with {@code budget} and writes the model directory to {@code output};
   * with {@code parallel}, the interpolation and super-resolution networks train beside the
   * keyframe U-Net where the recipe allows (see {@link DemoTrainer#parallel}).
   */
  public static ModelDirectory train(Path output, TrainingBudget budget, Recipe recipe, long seed, boolean parallel,
      PrintStream log) throws IOException {
    ModelDirectory.checkTarget(output);
    long start = System.nanoTime();
    try (DemoTrainer trainer = recipe.applyTo(new DemoTrainer(recipe.configs(), budget, seed, log)).parallel(parallel)) {
      trainer.trainAll();
      double seconds = (System.nanoTime() - start) / 1e9;
      log.printf("training done in %.1f min%n", seconds / 60);
      ModelDirectory model = write(trainer, output, seed);
      writeRecord(output.resolve(TRAINING_FILE), trainer, budget, recipe, seed, seconds, null);
      return model;
    }
  }

  /** The model directory of what {@code trainer} trained from scratch. */
  static ModelDirectory write(DemoTrainer trainer, Path output, long seed) throws IOException {
    return write(trainer, output, seed, null);
  }

  /**
   * The model directory of what {@code trainer} trained, continuing the model of version {@code
   * base} (null: from scratch).
   */
  static ModelDirectory write(DemoTrainer trainer, Path output, long seed, String base) throws IOException {
    DemoConfigs c = trainer.configs();
    byte[] configs = new ObjectMapper().writeValueAsBytes(c);
    // configs, seed, the steps of every stage trained and the base's version (so that a
    // continuation differs from its base, and two continuations of different bases differ)
    String stages = (base == null ? "" : base + "+") + trainer.results().stream().map(r -> r.name() + r.losses().length)
        .collect(java.util.stream.Collectors.joining("-"));
    String version = Sha256.of(configs).substring(0, 12) + "-seed" + seed + "-" + Sha256.of(
        stages.getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    return ModelDirectory.builder(NAME, version,
            "MagicVideo trained from scratch on the synthetic shapes world (a coloured square, circle or triangle "
                + "moving left, right, up or down on black): 16 keyframes of 32x32, 61 frames, x4 super-resolution "
                + "to 128x128. Trained by magicvideo.models.train.TrainDemo, seed " + seed + ".")
        .tokenizer(trainer.tokenizerFile(), ClipTokenizerConfig.CLIP)
        .component(ModelComponents.TEXT_ENCODER, c.text(), trainer.textEncoder().stateDict())
        .component(ModelComponents.KEYFRAME_UNET, c.keyframes(), trainer.keyframeUNet().stateDict())
        .component(ModelComponents.INTERPOLATION_UNET, c.interpolation(), trainer.interpolationUNet().stateDict())
        .component(ModelComponents.VAE, c.vae(), trainer.vae().stateDict())
        .component(ModelComponents.SUPERRES_UNET, c.upscale(), trainer.upscaleUNet().stateDict())
        .write(output);
  }

  private static void writeRecord(Path file, DemoTrainer trainer, TrainingBudget budget, Recipe recipe, long seed,
      double seconds, Map<String, Object> continued) throws IOException {
    Map<String, Object> record = new LinkedHashMap<>();
    if (continued != null) {
      record.put("continuedFrom", continued);
    }
    record.put("seed", seed);
    record.put("budget", budget);
    record.put("recipe", recipe);
    record.put("minutes", seconds / 60);
    record.put("parallel", trainer.parallel());
    Map<String, Object> stages = new LinkedHashMap<>();
    for (TrainingLoop.Result r : trainer.results()) {
      int n = Math.max(1, r.losses().length / 10);
      stages.put(r.name(), Map.of("steps", r.losses().length, "seconds", r.seconds(),
          "probeLossBefore", r.probeBefore(), "probeLossAfter", r.probeAfter(),
          "lossFirstTenth", r.meanFirst(n), "lossLastTenth", r.meanLast(n), "skippedSteps", r.skippedSteps()));
    }
    record.put("stages", stages);
    byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(record)
        .getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, json);
  }
}
