package magicvideo.models.shapes;

import magicvideo.models.VideoFrames;

/**
 * What one frame of a clip shows. Every pixel of the shape's region ({@link ShapeBlob}) counts
 * with its coverage {@code c} in 0..1 ({@link BrightnessLevels#coverage}), so on a clean render
 * the numbers are those of the drawn geometry, to a small fraction of a pixel.
 *
 * @param found whether the frame shows one plausible shape; when false the other numbers are 0
 *     and {@code rgb} is null
 * @param area the shape's area, {@code sum(c)}, as a fraction of the frame's area (the world's
 *     square: 0.0625, circle 0.049, triangle 0.031)
 * @param x the coverage-weighted centroid, as a fraction of the frame's width from its left edge
 * @param y the centroid as a fraction of the frame's height from its top edge
 * @param rgb the shape's colour: the mean of its interior pixels ({@link ShapeBlob#isInterior}),
 *     so that edge pixels, which the shape covers only partly, do not darken it, and a change of
 *     brightness shows as a change of colour (the mean of the whole core when the shape is too
 *     thin to have an interior)
 * @param fill the area over the product of the largest column sum and the largest row sum of
 *     coverage: the fill ratio of the bounding box, measured without thresholding, hence
 *     insensitive to sub-pixel position (square 1, circle pi/4, triangle 1/2; blur raises it
 *     for shapes with a narrow part, see {@link ShapeSignature})
 * @param asymmetry how much the shape's mass leans towards its bottom: minus the third central
 *     moment of the vertical mass distribution (y downwards) over {@code area^1.5} (both in
 *     pixels), scaled so that the world's triangle, pointing up, is +1. 0 for the square, the
 *     circle and any shape symmetric top to bottom; -1 for the triangle pointing down. Unlike the
 *     skewness (the moment over {@code variance^1.5}) it does not shrink with blur: a symmetric
 *     blur adds variance but no third moment
 */
public record FrameShape(
    boolean found, double area, double x, double y, Rgb rgb, double fill, double asymmetry) {

  /**
   * The third central moment over {@code area^1.5} of the world's triangle: its rows hold mass in
   * proportion to their distance from the apex, a distribution of skewness {@code -2 sqrt(2) / 5}
   * and variance {@code h^2 / 18}, over an area of {@code h^2 / 2}; hence {@code -2 sqrt(2) / 5 /
   * 27}.
   */
  private static final double TRIANGLE_THIRD_MOMENT = -2 * Math.sqrt(2) / 5 / 27;

  static final FrameShape NONE = new FrameShape(false, 0, 0, 0, null, 0, 0);

  /** Measures frame {@code frame} of {@code clip} against the clip's levels. */
  static FrameShape measure(VideoFrames clip, int frame, BrightnessLevels levels) {
    int width = clip.width();
    int height = clip.height();
    byte[] rgb = clip.rgb();
    int base = frame * clip.frameBytes();
    int[] brightness = new int[width * height];
    for (int p = 0; p < brightness.length; p++) {
      brightness[p] = BrightnessLevels.brightness(rgb, base + 3 * p);
    }
    ShapeBlob blob = ShapeBlob.find(brightness, width, height, levels.threshold());
    if (blob == null) {
      return NONE;
    }
    double[] columns = new double[width];
    double[] rows = new double[height];
    double mass = 0;
    double sumX = 0;
    for (int y = blob.top(); y <= blob.bottom(); y++) {
      for (int x = blob.left(); x <= blob.right(); x++) {
        if (!blob.contains(x, y)) {
          continue;
        }
        int p = y * width + x;
        double c = levels.coverage(brightness[p]);
        mass += c;
        sumX += c * (x + 0.5);
        columns[x] += c;
        rows[y] += c;
      }
    }
    // mass > 0: the core's pixels are at or above the threshold, a coverage of at least 1/2
    double meanY = 0;
    for (int y = 0; y < height; y++) {
      meanY += rows[y] * (y + 0.5);
    }
    meanY /= mass;
    return new FrameShape(
        true,
        mass / (width * height),
        sumX / mass / width,
        meanY / height,
        interiorColour(rgb, base, blob, width),
        mass / (max(columns) * max(rows)),
        thirdMoment(rows, meanY, mass) / Math.pow(mass, 1.5) / TRIANGLE_THIRD_MOMENT);
  }

  private static Rgb interiorColour(byte[] rgb, int base, ShapeBlob blob, int width) {
    double[] interior = new double[4];
    double[] core = new double[4];
    for (int y = blob.top(); y <= blob.bottom(); y++) {
      for (int x = blob.left(); x <= blob.right(); x++) {
        int i = base + 3 * (y * width + x);
        if (blob.isCore(x, y)) {
          accumulate(core, rgb, i);
        }
        if (blob.isInterior(x, y)) {
          accumulate(interior, rgb, i);
        }
      }
    }
    double[] sums = interior[3] > 0 ? interior : core;
    return new Rgb(sums[0] / sums[3], sums[1] / sums[3], sums[2] / sums[3]);
  }

  /** Adds the pixel at {@code i} to {@code sums}: red, green, blue and a count. */
  private static void accumulate(double[] sums, byte[] rgb, int i) {
    for (int ch = 0; ch < 3; ch++) {
      sums[ch] += rgb[i + ch] & 0xff;
    }
    sums[3]++;
  }

  /** The third central moment of {@code rows} (mass per row) about {@code mean}. */
  private static double thirdMoment(double[] rows, double mean, double mass) {
    double m3 = 0;
    for (int y = 0; y < rows.length; y++) {
      double d = y + 0.5 - mean;
      m3 += rows[y] * d * d * d;
    }
    return m3 / mass;
  }

  private static double max(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
