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

      // a continuation of the keyframe U-Net with the high-noise weighting and the text encoder
      // fixed: the U-Net moves, the text encoder (which the other networks know) does not
      float[] textBefore = flat(trainer.textEncoder().stateDict());
      float[] unetBefore = flat(trainer.keyframeUNet().stateDict());
      trainer.keyframeWeightCap(5f).trainTextEncoder(false).trainKeyframes();
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
