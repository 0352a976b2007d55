package magicvideo.models.train;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import magicvideo.models.generate.ModelComponents;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.shapes.Caption;
import magicvideo.models.shapes.Colour;
import magicvideo.models.shapes.Direction;
import magicvideo.models.shapes.ShapeKind;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DemoTrainerTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /**
   * A few steps of every stage (the contrastive text stage included) lower that stage's loss on its fixed probe batches (same clips,
   * noise and timesteps before and after), and the result is a loadable model directory.
   */
  @Test
  public void shortRunLowersTheLossOfEveryComponentAndWritesAModel() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingBudget budget = TrainingBudget.smoke();
    ModelDirectory model;
    List<TrainingLoop.Result> results;
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        DemoTrainer trainer = new DemoTrainer(DemoConfigs.standard(), budget, 7, out).textContrast(true)) {
      trainer.trainAll();
      model = TrainDemo.write(trainer, tmp.getRoot().toPath().resolve("demo"), 7);

      // a continuation of the keyframe U-Net with the high-noise weighting, partial prompts and the
      // text encoder fixed: the U-Net moves, the text encoder (which the other networks know) does not
      float[] textBefore = flat(trainer.textEncoder().stateDict());
      float[] unetBefore = flat(trainer.keyframeUNet().stateDict());
      trainer.keyframeWeightCap(5f).trainTextEncoder(false).keyframePartialCaptions(0.5).trainKeyframes();
      assertArrayEquals(textBefore, flat(trainer.textEncoder().stateDict()), 0f);
      assertFalse(Arrays.equals(unetBefore, flat(trainer.keyframeUNet().stateDict())));
      results = trainer.results();
    }
    assertEquals(List.of("vae", "vae-temporal", "text-contrast", "keyframes", "interpolation", "superres", "keyframes"),
        results.stream().map(TrainingLoop.Result::name).toList());
    for (TrainingLoop.Result r : results) {
      assertTrue(r.name() + ": probe loss " + r.probeBefore() + " -> " + r.probeAfter() + "\n" + log,
          r.probeAfter() < r.probeBefore());
    }
    ModelDirectory reopened = ModelDirectory.open(model.root());
    for (String c : List.of(ModelComponents.TEXT_ENCODER, ModelComponents.KEYFRAME_UNET,
        ModelComponents.INTERPOLATION_UNET, ModelComponents.VAE, ModelComponents.SUPERRES_UNET)) {
      assertTrue(c, reopened.manifest().components().containsKey(c));
    }
  }

  /**
   * Training the interpolation and super-resolution networks on a second thread beside the keyframe
   * U-Net gives bit for bit the weights of training them one after another, and lists the stages
   * in the same order: each stage has its own seeded batches, noise and initialisation, and its
   * own gradients (libtorch's grad mode is per thread).
   */
  @Test
  public void sideBySideStagesTrainTheSameWeightsAsOneAfterAnother() throws Exception {
    TrainingBudget budget = new TrainingBudget(4, 4, 2, 2, 8, 12, 12, 4, 12, 1, 2, 4);
    Map<String, float[]> sequential = trainAll(budget, false);
    Map<String, float[]> parallel = trainAll(budget, true);
    assertEquals(sequential.keySet(), parallel.keySet());
    for (String name : sequential.keySet()) {
      assertArrayEquals(name, sequential.get(name), parallel.get(name), 0f);
    }
  }

  /** Every network's weights after {@link DemoTrainer#trainAll}, and the stage names under "stages". */
  private static Map<String, float[]> trainAll(TrainingBudget budget, boolean parallel) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        DemoTrainer trainer = new DemoTrainer(DemoConfigs.standard(), budget, 5, out).textContrast(true)
            .trainTextEncoder(false).parallel(parallel)) {
      assertEquals(parallel, trainer.parallel());
      trainer.trainAll();
      assertEquals(log.toString(), parallel, log.toString().contains("beside the keyframe U-Net"));
      assertEquals(List.of("vae", "vae-temporal", "text-contrast", "keyframes", "interpolation", "superres"),
          trainer.results().stream().map(TrainingLoop.Result::name).toList());
      Map<String, float[]> out2 = new java.util.LinkedHashMap<>();
      out2.put("text", flat(trainer.textEncoder().stateDict()));
      out2.put("keyframes", flat(trainer.keyframeUNet().stateDict()));
      out2.put("interpolation", flat(trainer.interpolationUNet().stateDict()));
      out2.put("superres", flat(trainer.upscaleUNet().stateDict()));
      out2.put("vae", flat(trainer.vae().stateDict()));
      return out2;
    }
  }

  /**
   * The keyframe stage's partial prompts name only attributes their clip has, each of the six
   * partial forms about equally often, and keep the guidance dropout.
   */
  @Test
  public void partialPromptsNameOnlyTheClipsAttributesAtTheirShare() {
    Caption caption = new Caption(Colour.YELLOW, ShapeKind.CIRCLE, Direction.UP);
    Map<String, Integer> counts = new java.util.TreeMap<>();
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    int n = 20000;
    for (int i = 0; i < n; i++) {
      String p = DemoTrainer.partialPrompt(caption, r, 0.5).replace(" on a black background", "").replace(" on black", "");
      counts.merge(p, 1, Integer::sum);
    }
    assertEquals(counts.toString(), 8, counts.size()); // "", the whole caption, 6 partial ones
    for (var e : counts.entrySet()) {
      String p = e.getKey();
      double share = e.getValue() / (double) n;
      double expected = p.isEmpty() ? DemoTrainer.CAPTION_DROPOUT
          : p.equals(caption.text()) ? (1 - DemoTrainer.CAPTION_DROPOUT) * 0.5 : (1 - DemoTrainer.CAPTION_DROPOUT) * 0.5 / 6;
      assertEquals(p, expected, share, 0.015);
      for (String word : p.split(" ")) {
        assertTrue(p, List.of("a", "yellow", "circle", "moving", "up").contains(word) || p.isEmpty());
      }
    }
    assertTrue(counts.containsKey("a yellow") && counts.containsKey("moving up") && counts.containsKey("a circle moving up"));
  }

  /** Every tensor of {@code weights}, in name order, as one float array. */
  private static float[] flat(Map<String, NDArray> weights) {
    return weights.keySet().stream().sorted().map(k -> weights.get(k).toFloatArray())
        .reduce(new float[0], (a, b) -> {
          float[] out = Arrays.copyOf(a, a.length + b.length);
          System.arraycopy(b, 0, out, a.length, b.length);
          return out;
        });
  }
}
