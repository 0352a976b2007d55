package magicvideo.models.train;

/**
 * How long each component of the demo model trains, and on what batches.
 *
 * @param vaeSteps image VAE steps, each on {@code vaeBatch} single frames
 * @param vaeBatch frames per VAE step
 * @param temporalSteps temporal decoder steps, each on {@code clipBatch} 16-frame clips
 * @param clipBatch clips per temporal-decoder and keyframe step
 * @param datasetClips clips encoded once to latents for the diffusion stages
 * @param keyframeSteps keyframe U-Net + text encoder steps
 * @param interpolationSteps interpolation U-Net steps, each on {@code windowBatch} windows
 * @param windowBatch windows per interpolation step
 * @param upscaleSteps super-resolution steps, each on {@code upscaleBatch} chunks of
 *     {@code upscaleFrames} frames
 * @param upscaleBatch chunks per super-resolution step
 * @param upscaleFrames frames per super-resolution chunk
 * @param textContrastSteps steps of the contrastive text stage, when a recipe has one (see {@link
 *     DemoTrainer#trainTextContrastive})
 */
public record TrainingBudget(int vaeSteps, int vaeBatch, int temporalSteps, int clipBatch, int datasetClips,
    int keyframeSteps, int interpolationSteps, int windowBatch, int upscaleSteps, int upscaleBatch,
    int upscaleFrames, int textContrastSteps) {

  public TrainingBudget {
    int[] all = {vaeSteps, vaeBatch, temporalSteps, clipBatch, datasetClips, keyframeSteps, interpolationSteps,
        windowBatch, upscaleSteps, upscaleBatch, upscaleFrames, textContrastSteps};
    for (int v : all) {
      if (v < 1) {
        throw new IllegalArgumentException("every training budget value must be >= 1: " + this);
      }
    }
  }

  /**
   * The default budget: under an hour on an idle 2-core machine with the interpolation and
   * super-resolution networks training beside the keyframe U-Net ({@link DemoTrainer#parallel}).
   * Most of it goes to the keyframe U-Net, whose steps are what prompt following needs (held-out
   * colour: 67% after 3000, 4500 or 5000 steps in one run, 100% for the shipped model's 5000 in three);
   * interpolation and super-resolution need ~1000 (at 500 the full videos lost their shape).
   */
  public static TrainingBudget standard() {
    return new TrainingBudget(1000, 16, 200, 4, 480, 5000, 1000, 16, 1000, 4, DemoConfigs.UPSCALE_FRAMES, 1000);
  }

  /** A few steps of everything: for tests that training runs and lowers each loss. */
  public static TrainingBudget smoke() {
    return new TrainingBudget(20, 8, 8, 2, 8, 20, 20, 4, 20, 1, 2, 20);
  }

  /** Every step count and the dataset multiplied by {@code factor} (at least 1 each); batches unchanged. */
  public TrainingBudget scaled(double factor) {
    return new TrainingBudget(scale(vaeSteps, factor), vaeBatch, scale(temporalSteps, factor), clipBatch,
        scale(datasetClips, factor), scale(keyframeSteps, factor), scale(interpolationSteps, factor), windowBatch,
        scale(upscaleSteps, factor), upscaleBatch, upscaleFrames, scale(textContrastSteps, factor));
  }

  /** The same budget with {@code steps} keyframe steps (a keyframe continuation's own length). */
  public TrainingBudget withKeyframeSteps(int steps) {
    return new TrainingBudget(vaeSteps, vaeBatch, temporalSteps, clipBatch, datasetClips, steps, interpolationSteps,
        windowBatch, upscaleSteps, upscaleBatch, upscaleFrames, textContrastSteps);
  }

  private static int scale(int steps, double factor) {
    return Math.max(1, (int) Math.round(steps * factor));
  }
}
