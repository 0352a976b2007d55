package magicvideo.models.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import magicvideo.models.sampling.NoiseSchedule;
import magicvideo.models.sampling.SchedulerConfig;
import magicvideo.models.sampling.SeededNoise;
import magicvideo.models.unet.Conditioning;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.unet.VideoUNet;
import org.junit.Test;

public class DiffusionObjectiveTest {
  private static final SchedulerConfig SD = SchedulerConfig.stableDiffusion();

  /** Weights are 1 / alphaBar up to the cap: ~1 at low noise, rising with t, the cap at the top. */
  @Test
  public void weightIsTruncatedInverseAlphaBar() {
    double[] alphaBar = new NoiseSchedule(SD).alphasCumprod();
    DiffusionObjective plain = new DiffusionObjective(SD);
    DiffusionObjective capped = new DiffusionObjective(SD, 5f);
    for (int t = 0; t < alphaBar.length; t++) {
      assertEquals(1.0, plain.weight(t), 0.0);
      assertEquals(Math.min(5.0, 1 / alphaBar[t]), capped.weight(t), 1e-12);
      if (t > 0) {
        assertTrue("weights must not fall with t", capped.weight(t) >= capped.weight(t - 1));
      }
    }
    assertEquals(1.0, capped.weight(0), 1e-3);
    assertEquals(5.0, capped.weight(999), 0.0);
    assertThrows(IllegalArgumentException.class, () -> new DiffusionObjective(SD, 0.5f));
  }

  /** A tiny keyframe U-Net, one clip and its conditioning: what both loss tests evaluate. */
  private static final class Fixture implements AutoCloseable {
    final NDManager m = NDManager.newBaseManager();
    final VideoUNet net = new VideoUNet(UNetConfig.tinyKeyframes());
    final NDArray clean;
    final Conditioning cond;

    Fixture() {
      net.initialize(m, 1);
      clean = m.randomNormal(new Shape(1, 4, 4, 8, 8));
      cond = Conditioning.text(m.randomNormal(new Shape(1, 5, UNetConfig.tinyKeyframes().contextDim())))
          .withFps(m.create(new float[] {8f}));
    }

    /** The loss of {@code objective} with the noise and timestep {@code seed} draws. */
    NDArray loss(DiffusionObjective objective, long seed) {
      return objective.loss(m, net, clean, null, cond, SeededNoise.forSeed(seed), new SplittableRandom(seed));
    }

    @Override
    public void close() {
      m.close();
    }
  }

  /**
   * The same clip, noise and timestep: the weighted loss is the plain one times the weight of the
   * drawn timestep (the network's output does not change, only what the error counts for).
   */
  @Test
  public void weightedLossIsPlainLossTimesTheTimestepsWeight() {
    try (Fixture f = new Fixture()) {
      DiffusionObjective capped = new DiffusionObjective(SD, 20f);
      int checked = 0;
      for (long seed = 0; seed < 6; seed++) {
        int t = new SplittableRandom(seed).nextInt(1000);
        float plain = f.loss(new DiffusionObjective(SD), seed).getFloat();
        float weighted = f.loss(capped, seed).getFloat();
        assertEquals("t=" + t, plain * capped.weight(t), weighted, 1e-4 * weighted);
        checked += capped.weight(t) > 1.5 ? 1 : 0;
      }
      assertTrue("some drawn timesteps must carry a weight well above 1", checked > 0);
    }
  }

  /** The same holds for the gradients training follows: the weighted ones are the plain ones times w. */
  @Test
  public void weightedGradientIsPlainGradientTimesTheTimestepsWeight() {
    try (Fixture f = new Fixture()) {
      NDArray w = f.net.namedParameters().get("conv_in.weight").array();
      w.setRequiresGradient(true);
      DiffusionObjective capped = new DiffusionObjective(SD, 20f);
      for (long seed = 0; seed < 4; seed++) {
        int t = new SplittableRandom(seed).nextInt(1000);
        float[] plain = gradient(f, w, new DiffusionObjective(SD), seed);
        float[] weighted = gradient(f, w, capped, seed);
        // float32 sums over every position, in an order libtorch's threads choose: an element that is
        // a small difference of large terms carries an error relative to the gradient's scale, not its own
        double scale = 0;
        for (float g : weighted) {
          scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < plain.length; i += 7) {
          assertEquals("t=" + t + " element " + i, plain[i] * capped.weight(t), weighted[i], 1e-3 * scale);
        }
      }
    }
  }

  private static float[] gradient(Fixture f, NDArray w, DiffusionObjective objective, long seed) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(f.loss(objective, seed));
      try (NDArray g = w.getGradient()) {
        float[] out = g.toFloatArray();
        g.subi(g); // gradients accumulate over backward passes until zeroed
        return out;
      }
    }
  }

  /**
   * Under a "wrong" caption equal to the right one the two errors agree, so each contrasted clip
   * adds exactly margin x its error: the loss is (1 + weight x margin) x the plain one; clips not
   * contrasted add nothing.
   */
  @Test
  public void contrastAgainstTheSameCaptionCostsExactlyTheMargin() {
    try (Fixture f = new Fixture()) {
      DiffusionObjective plain = new DiffusionObjective(SD);
      for (long seed = 0; seed < 3; seed++) {
        float base = f.loss(plain, seed).getFloat();
        float contrasted = plain.contrastiveLoss(f.m, f.net, f.clean, f.cond, f.cond, new boolean[] {true}, 2f, 0.25f,
            SeededNoise.forSeed(seed), new SplittableRandom(seed)).getFloat();
        float skipped = plain.contrastiveLoss(f.m, f.net, f.clean, f.cond, f.cond, new boolean[] {false}, 2f, 0.25f,
            SeededNoise.forSeed(seed), new SplittableRandom(seed)).getFloat();
        assertEquals("seed " + seed, 1.5f * base, contrasted, 1e-4 * base);
        assertEquals("seed " + seed, base, skipped, 1e-4 * base);
      }
    }
  }

  /**
   * The contrast is a hinge: where the right caption already beats the wrong one by the margin it
   * adds nothing (a negative margin makes equal errors such a case).
   */
  @Test
  public void contrastIsZeroWhereTheMarginIsMet() {
    try (Fixture f = new Fixture()) {
      DiffusionObjective plain = new DiffusionObjective(SD);
      long seed = 4;
      float base = f.loss(plain, seed).getFloat();
      float contrasted = plain.contrastiveLoss(f.m, f.net, f.clean, f.cond, f.cond, new boolean[] {true}, 2f, -0.5f,
          SeededNoise.forSeed(seed), new SplittableRandom(seed)).getFloat();
      assertEquals(base, contrasted, 1e-4 * base);
    }
  }
}
