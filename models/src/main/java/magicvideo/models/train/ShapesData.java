package magicvideo.models.train;

import java.util.List;
import java.util.SplittableRandom;
import magicvideo.models.VideoFrames;
import magicvideo.models.shapes.Caption;
import magicvideo.models.shapes.ShapesWorld;

/**
 * The demo's training data, drawn from the shapes world: clip {@code i} shows training caption
 * {@code i mod 72} (so every caption is equally frequent) from a start drawn from (seed, i). Held-out
 * combinations never appear. Clips are 61 frames long: 16 keyframes (every 4th frame) with 3
 * frames between each pair, as the demo model generates them.
 */
public final class ShapesData {
  public static final int FRAMES = 61;
  public static final int KEYFRAMES = 16;
  public static final int KEY_STRIDE = (FRAMES - 1) / (KEYFRAMES - 1);
  public static final int LOW_SIZE = 32;
  public static final int HIGH_SIZE = 128;
  public static final double FPS = 8;

  /** A suffix some prompts get, so the text encoder learns to ignore words around the caption. */
  private static final List<String> SUFFIXES = List.of("", "", "", " on a black background", " on black");

  private final long seed;
  private final List<Caption> captions;

  public ShapesData(long seed) {
    this.seed = seed;
    this.captions = ShapesWorld.trainingCaptions();
  }

  public int captionCount() {
    return captions.size();
  }

  /** The motion of clip {@code index}. */
  public ShapesWorld.Motion motion(long index) {
    Caption c = captions.get(Math.floorMod(index, captions.size()));
    return ShapesWorld.sample(c, new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L)));
  }

  /**
   * The prompt a training step pairs with {@code caption}: usually its text (sometimes with a
   * suffix), and with probability {@code dropout} the empty prompt, so the model also learns the
   * unconditional prediction classifier-free guidance needs.
   */
  public static String prompt(Caption caption, SplittableRandom random, double dropout) {
    return prompt(caption.text(), random, dropout);
  }

  /** {@link #prompt(Caption, SplittableRandom, double)} of any caption text. */
  public static String prompt(String caption, SplittableRandom random, double dropout) {
    if (random.nextDouble() < dropout) {
      return "";
    }
    return caption + SUFFIXES.get(random.nextInt(SUFFIXES.size()));
  }

  /** Every frame of a clip at {@code size} pixels. */
  public static VideoFrames clip(ShapesWorld.Motion motion, int size) {
    return ShapesWorld.render(motion, FRAMES, size, FPS);
  }

  /** Frames {@code first .. first + count - 1} of the 61-frame clip, at {@code size} pixels. */
  public static VideoFrames frames(ShapesWorld.Motion motion, int first, int count, int size) {
    double[] times = new double[count];
    for (int i = 0; i < count; i++) {
      times[i] = (double) (first + i) / (FRAMES - 1);
    }
    return ShapesWorld.render(motion, times, size, FPS);
  }
}
