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
 * @param rgb the shape's colour: the least-squares fit of {@code pixel = c * rgb} over the region,
 *     {@code sum(c * pixel) / sum(c^2)}, so partly covered edge pixels, darker by their coverage,
 *     do not darken it
 * @param fill the area over the product of the largest column sum and the largest row sum of
 *     coverage: the fill ratio of the bounding box, measured without thresholding, hence
 *     insensitive to sub-pixel position and to blur (square 1, circle pi/4, triangle 1/2)
 * @param skew the skewness of the shape's vertical mass distribution (y downwards): 0 for the
 *     square and circle, {@code -2 sqrt(2) / 5 = -0.566} for a triangle pointing up, whose mass
 *     sits at its base
 */
public record FrameShape(
    boolean found, double area, double x, double y, Rgb rgb, double fill, double skew) {

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
    double[] weightedRgb = new double[3];
    double mass = 0;
    double sumX = 0;
    double squares = 0;
    for (int y = blob.top(); y <= blob.bottom(); y++) {
      for (int x = blob.left(); x <= blob.right(); x++) {
        if (!blob.contains(x, y)) {
          continue;
        }
        int p = y * width + x;
        double c = levels.coverage(brightness[p]);
        mass += c;
        sumX += c * (x + 0.5);
        squares += c * c;
        columns[x] += c;
        rows[y] += c;
        for (int ch = 0; ch < 3; ch++) {
          weightedRgb[ch] += c * (rgb[base + 3 * p + ch] & 0xff);
        }
      }
    }
    // the core pixels are at or above the threshold, so their coverage is at least 1/2
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
        new Rgb(weightedRgb[0] / squares, weightedRgb[1] / squares, weightedRgb[2] / squares),
        mass / (max(columns) * max(rows)),
        skewness(rows, meanY, mass));
  }

  /** Skewness of the distribution {@code rows} (mass per row) around {@code mean}. */
  private static double skewness(double[] rows, double mean, double mass) {
    double m2 = 0;
    double m3 = 0;
    for (int y = 0; y < rows.length; y++) {
      double d = y + 0.5 - mean;
      m2 += rows[y] * d * d;
      m3 += rows[y] * d * d * d;
    }
    m2 /= mass;
    m3 /= mass;
    return m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
  }

  private static double max(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
