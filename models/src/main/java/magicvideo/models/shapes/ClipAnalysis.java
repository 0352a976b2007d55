package magicvideo.models.shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import magicvideo.models.VideoFrames;

/**
 * What a clip of the shapes world shows, read from its pixels alone: the colour, the shape and
 * the direction of motion, and how steady it is over time. It is the measuring stick of the
 * {@code eval} command and of the world generator's own tests, so it works on clean renders as
 * well as on generated clips: noisy, blurry, a little off in colour, H.264-compressed, at 32x32 or
 * 128x128, with any number of frames.
 *
 * <p>How: one background and one shape brightness level per clip ({@link BrightnessLevels}); in
 * each frame the shape is the largest bright blob with the ring around it ({@link ShapeBlob}),
 * measured with per-pixel coverage ({@link FrameShape}). The clip shows a shape when at least half
 * of its frames do; then
 *
 * <ul>
 *   <li>colour: the world colour nearest in chroma (each colour divided by its largest channel)
 *       to the mean of the frames' colours;
 *   <li>shape: named from the median fill and asymmetry over the frames ({@link
 *       ShapeSignature});
 *   <li>direction: the axis and sign of the larger component of the fitted displacement ({@link
 *       PathFit}), when the shape travels at least {@value #MIN_TRAVEL} of the frame.
 * </ul>
 */
public final class ClipAnalysis {
  /** Fraction of the frames that must show a shape for the clip to show one. */
  public static final double MIN_FRAMES_WITH_SHAPE = 0.5;

  /**
   * Shortest fitted displacement, in frame fractions, that counts as motion: a fifth of the
   * world's 0.5, well above the drift of a still shape's measured centroid.
   */
  public static final double MIN_TRAVEL = 0.1;

  private ClipAnalysis() {}

  /**
   * The analysis of one clip.
   *
   * @param frames the clip's frame count
   * @param framesWithShape how many frames show a shape
   * @param colour the colour shown; null when the clip shows no shape
   * @param shape the shape shown; null when the clip shows no shape
   * @param direction the direction of motion; null when the clip shows no shape or it travels
   *     less than {@link #MIN_TRAVEL}
   * @param measures the numbers behind the verdicts; null when the clip shows no shape
   * @param perFrame each frame's measurements, in order
   */
  public record Result(
      int frames,
      int framesWithShape,
      Colour colour,
      ShapeKind shape,
      Direction direction,
      Measures measures,
      List<FrameShape> perFrame) {

    /** Whether the clip shows a shape at all. */
    public boolean shapeFound() {
      return measures != null;
    }
  }

  /**
   * The clip-level numbers of a clip that shows a shape.
   *
   * @param rgb the shape's colour, the mean of {@link FrameShape#rgb()} over the frames showing it
   * @param colourDistance the distance between the chroma of {@code rgb} and that of the chosen
   *     colour (0 exact; 1 is the distance between two neighbouring world colours, e.g. red and
   *     yellow)
   * @param fill the median {@link FrameShape#fill()} over the frames showing the shape
   * @param asymmetry the median {@link FrameShape#asymmetry()}
   * @param path the fitted motion and the smoothness of the path
   * @param areaFlicker the mean over consecutive frame pairs of {@code |a - b| / ((a + b) / 2)},
   *     {@code a} and {@code b} the frames' areas (0 where no shape; a pair of frames that both
   *     show none is skipped): 0 for a steady shape, 2 where it vanishes or appears
   * @param colourFlicker the mean over consecutive frame pairs that both show the shape of the
   *     distance between their {@link FrameShape#rgb()}, divided by 255 (one channel's full scale)
   */
  public record Measures(
      Rgb rgb,
      double colourDistance,
      double fill,
      double asymmetry,
      PathFit path,
      double areaFlicker,
      double colourFlicker) {}

  /** Analyses {@code clip}. */
  public static Result analyse(VideoFrames clip) {
    BrightnessLevels levels = BrightnessLevels.of(clip);
    List<FrameShape> perFrame = new ArrayList<>(clip.frames());
    for (int f = 0; f < clip.frames(); f++) {
      perFrame.add(levels.showsSomething() ? FrameShape.measure(clip, f, levels) : FrameShape.NONE);
    }
    List<FrameShape> shown = perFrame.stream().filter(FrameShape::found).toList();
    if (shown.size() < 2 || shown.size() < MIN_FRAMES_WITH_SHAPE * clip.frames()) {
      return new Result(clip.frames(), shown.size(), null, null, null, null, List.copyOf(perFrame));
    }
    Rgb rgb = meanColour(shown);
    Colour colour = nearestColour(rgb);
    ShapeSignature signature = new ShapeSignature(
        median(shown.stream().mapToDouble(FrameShape::fill).toArray()),
        median(shown.stream().mapToDouble(FrameShape::asymmetry).toArray()));
    PathFit path = PathFit.of(perFrame);
    Measures measures = new Measures(rgb, rgb.chroma().distance(Rgb.of(colour).chroma()),
        signature.fill(), signature.asymmetry(), path, areaFlicker(perFrame),
        colourFlicker(perFrame));
    return new Result(clip.frames(), shown.size(), colour, signature.shape(), direction(path),
        measures, List.copyOf(perFrame));
  }

  private static Rgb meanColour(List<FrameShape> shown) {
    double r = 0, g = 0, b = 0;
    for (FrameShape s : shown) {
      r += s.rgb().red();
      g += s.rgb().green();
      b += s.rgb().blue();
    }
    return new Rgb(r / shown.size(), g / shown.size(), b / shown.size());
  }

  private static Colour nearestColour(Rgb rgb) {
    Rgb chroma = rgb.chroma();
    Colour best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (Colour c : Colour.values()) {
      double d = chroma.distance(Rgb.of(c).chroma());
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  private static Direction direction(PathFit path) {
    if (path.travel() < MIN_TRAVEL) {
      return null;
    }
    if (Math.abs(path.dx()) >= Math.abs(path.dy())) {
      return path.dx() < 0 ? Direction.LEFT : Direction.RIGHT;
    }
    return path.dy() < 0 ? Direction.UP : Direction.DOWN;
  }

  private static double areaFlicker(List<FrameShape> perFrame) {
    double sum = 0;
    int pairs = 0;
    for (int f = 1; f < perFrame.size(); f++) {
      double a = perFrame.get(f - 1).area();
      double b = perFrame.get(f).area();
      if (a + b > 0) {
        sum += Math.abs(a - b) / ((a + b) / 2);
        pairs++;
      }
    }
    return pairs == 0 ? 0 : sum / pairs;
  }

  private static double colourFlicker(List<FrameShape> perFrame) {
    double sum = 0;
    int pairs = 0;
    for (int f = 1; f < perFrame.size(); f++) {
      FrameShape a = perFrame.get(f - 1);
      FrameShape b = perFrame.get(f);
      if (a.found() && b.found()) {
        sum += a.rgb().distance(b.rgb()) / 255;
        pairs++;
      }
    }
    return pairs == 0 ? 0 : sum / pairs;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
