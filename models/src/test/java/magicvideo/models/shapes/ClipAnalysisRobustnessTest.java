package magicvideo.models.shapes;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;
import magicvideo.models.VideoFrames;
import org.junit.Test;

/**
 * The analysis reads generated clips, not only clean renders: noise, blur and off colours keep
 * the verdicts; clips with nothing in them show no shape (rather than a random colour that might
 * count as right); and the temporal numbers rise when a clip flickers or jitters.
 */
public class ClipAnalysisRobustnessTest {
  private static final double FPS = 8;
  /** Noise of a generated frame: a standard deviation of 12 on the 0..255 scale (~5%). */
  private static final double NOISE = 12;

  @Test
  public void noisyAndBlurredKeyframesKeepTheirVerdicts() {
    SplittableRandom random = new SplittableRandom(21);
    // blur sigma 1 px at 32 px: an eighth of the shape's side, a visibly soft shape
    forEveryCaption(16, 32, random,
        clip -> ClipDistortions.blur(ClipDistortions.noise(clip, NOISE, random), 1));
  }

  @Test
  public void offColoursOnAGreyBackgroundKeepTheirVerdicts() {
    // dimmer, washed-out colours on a lifted background: 0 -> 40, 255 -> 200
    forEveryCaption(16, 32, new SplittableRandom(22), clip -> remap(clip, v -> 40 + v * 160 / 255));
  }

  @Test
  public void noisyOutputSizeClipsKeepTheirVerdicts() {
    SplittableRandom random = new SplittableRandom(23);
    forEveryPair(61, 128, random, clip -> ClipDistortions.noise(clip, NOISE, random));
  }

  @Test
  public void blurredOutputSizeClipsKeepTheirVerdicts() {
    // 16 frames: blurring 61 frames of 128 px takes seconds and tests nothing more
    forEveryPair(16, 128, new SplittableRandom(24), clip -> ClipDistortions.blur(clip, 4));
  }

  @Test
  public void blackGreyAndNoiseShowNoShape() {
    SplittableRandom random = new SplittableRandom(25);
    ShapesEvaluation evaluation = new ShapesEvaluation();
    for (int size : new int[] {32, 128}) {
      VideoFrames black = new VideoFrames(16, size, size, FPS, new byte[16 * size * size * 3]);
      byte[] uniform = new byte[black.rgb().length];
      for (int i = 0; i < uniform.length; i++) {
        uniform[i] = (byte) random.nextInt(256);
      }
      List<VideoFrames> empty = List.of(
          black,
          remap(black, v -> 128),
          ClipDistortions.noise(black, 40, random),
          ClipDistortions.noise(remap(black, v -> 128), 40, random),
          new VideoFrames(16, size, size, FPS, uniform));
      for (int i = 0; i < empty.size(); i++) {
        ClipAnalysis.Result result = ClipAnalysis.analyse(empty.get(i));
        String where = "empty clip " + i + " at " + size + " px";
        assertFalse(where, result.shapeFound());
        assertNull(where, result.colour());
        assertNull(where, result.shape());
        assertNull(where, result.direction());
        for (Caption caption : ShapesWorld.allCaptions()) {
          evaluation.add(where, caption.text(), result);
        }
      }
    }
    // scored against every caption, an empty clip is never right, not even by chance
    ShapesEvaluation.Summary all = evaluation.report().all();
    assertEquals(2 * 5 * 84, all.videos());
    assertEquals(0, all.withShape());
    for (ShapesEvaluation.Measure measure : ShapesEvaluation.Measure.values()) {
      assertEquals(measure.toString(), 0.0, all.accuracy(measure), 0);
    }
  }

  @Test
  public void aStillShapeHasNoDirection() {
    VideoFrames moving = render("a red square moving right", 16, 32);
    VideoFrames still = frames(moving, new int[16]);

    ClipAnalysis.Result result = ClipAnalysis.analyse(still);

    assertEquals(ShapeKind.SQUARE, result.shape());
    assertEquals(0, result.measures().path().travel(), 1e-9);
    assertNull(result.direction());
  }

  @Test
  public void aShapeInFewerThanHalfTheFramesIsNoShape() {
    VideoFrames clip = render("a blue circle moving up", 16, 32);
    byte[] rgb = clip.rgb().clone();
    Arrays.fill(rgb, 7 * clip.frameBytes(), rgb.length, (byte) 0);

    ClipAnalysis.Result result = ClipAnalysis.analyse(new VideoFrames(16, 32, 32, FPS, rgb));

    assertEquals(7, result.framesWithShape());
    assertFalse(result.shapeFound());
  }

  @Test
  public void flickerAndJitterRaiseTheTemporalNumbers() {
    VideoFrames clip = render("a green triangle moving left", 16, 128);
    ClipAnalysis.Measures steady = ClipAnalysis.analyse(clip).measures();

    // every other frame at 60% brightness
    byte[] rgb = clip.rgb().clone();
    for (int f = 1; f < clip.frames(); f += 2) {
      for (int i = f * clip.frameBytes(); i < (f + 1) * clip.frameBytes(); i++) {
        rgb[i] = (byte) ((rgb[i] & 0xff) * 6 / 10);
      }
    }
    ClipAnalysis.Measures flickering =
        ClipAnalysis.analyse(new VideoFrames(16, 128, 128, FPS, rgb)).measures();
    // neighbouring frames swapped: same start and end, jerky path
    ClipAnalysis.Measures jittering = ClipAnalysis.analyse(
        frames(clip, new int[] {0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 15})).measures();

    assertTrue(steady.areaFlicker() + " steady", steady.areaFlicker() < 0.02);
    assertTrue(flickering.areaFlicker() + " flickering", flickering.areaFlicker() > 0.3);
    assertTrue(steady.colourFlicker() + " steady", steady.colourFlicker() < 0.005);
    assertTrue(flickering.colourFlicker() + " flickering", flickering.colourFlicker() > 0.3);
    assertTrue(steady.path().rms() + " steady", steady.path().rms() < 0.002);
    assertTrue(jittering.path().rms() + " jittering", jittering.path().rms() > 0.01);
    assertTrue(jittering.path().meanAcceleration() + " jittering",
        jittering.path().meanAcceleration() > 20 * steady.path().meanAcceleration());
  }

  private static void forEveryCaption(int frames, int size, SplittableRandom random,
      UnaryOperator<VideoFrames> distortion) {
    for (Caption caption : ShapesWorld.allCaptions()) {
      check(caption, frames, size, random, distortion);
    }
  }

  /** Each colour and shape pair once, the directions taking turns: 21 clips. */
  private static void forEveryPair(int frames, int size, SplittableRandom random,
      UnaryOperator<VideoFrames> distortion) {
    List<Caption> captions = ShapesWorld.allCaptions();
    int directions = Direction.values().length;
    for (int pair = 0; pair < captions.size() / directions; pair++) {
      check(captions.get(pair * directions + pair % directions), frames, size, random, distortion);
    }
  }

  private static void check(Caption caption, int frames, int size, SplittableRandom random,
      UnaryOperator<VideoFrames> distortion) {
    ShapesWorld.Motion motion = ShapesWorld.sample(caption, random);
    ClipAnalysis.Result result =
        ClipAnalysis.analyse(distortion.apply(ShapesWorld.render(motion, frames, size, FPS)));
    String where = caption + " from (" + motion.startX() + ", " + motion.startY() + ") at "
        + size + " px: " + result.measures();
    assertEquals(where, caption.colour(), result.colour());
    assertEquals(where, caption.shape(), result.shape());
    assertEquals(where, caption.direction(), result.direction());
  }

  private static VideoFrames render(String caption, int frames, int size) {
    ShapesWorld.Motion motion = ShapesWorld.sample(Caption.parse(caption).orElseThrow(),
        new SplittableRandom(26));
    return ShapesWorld.render(motion, frames, size, FPS);
  }

  /** A clip of {@code clip}'s frames in the order {@code order}. */
  private static VideoFrames frames(VideoFrames clip, int[] order) {
    byte[] rgb = new byte[order.length * clip.frameBytes()];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(clip.frame(order[i]), 0, rgb, i * clip.frameBytes(), clip.frameBytes());
    }
    return new VideoFrames(order.length, clip.height(), clip.width(), clip.fps(), rgb);
  }

  private static VideoFrames remap(VideoFrames clip, IntUnaryOperator value) {
    byte[] rgb = new byte[clip.rgb().length];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) value.applyAsInt(clip.rgb()[i] & 0xff);
    }
    return new VideoFrames(clip.frames(), clip.height(), clip.width(), clip.fps(), rgb);
  }
}
