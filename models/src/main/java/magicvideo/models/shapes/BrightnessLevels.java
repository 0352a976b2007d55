package magicvideo.models.shapes;

import magicvideo.models.VideoFrames;

/**
 * How bright a clip's background and its shape are, from the histogram of every pixel's
 * brightness (its largest channel, the V of HSV) over the whole clip. One pair of levels per clip,
 * not per frame, so that a frame-to-frame change of the shape shows up in the flicker numbers
 * instead of being absorbed by a moving threshold.
 *
 * <p>The brightest channel rather than luma: every colour of the world has one channel at full
 * scale, so pure blue (luma ~29) is as far from black as white is.
 *
 * @param background the median brightness: the shape covers a few percent of the frame, so the
 *     median pixel is background (0 on a clean render, the noise floor on a generated one)
 * @param shape the 99.5th percentile: inside the shape whenever it covers more than 0.5% of the
 *     frame (the world's smallest, the triangle, covers 3.1%)
 */
record BrightnessLevels(int background, int shape) {
  private static final double SHAPE_QUANTILE = 0.995;

  /**
   * Below this difference between shape and background the clip shows nothing: a black or
   * uniformly grey clip, or a faint haze. A fifth of full scale is far below any world colour
   * (255 over 0) and far above the dithering of a decoded black frame.
   */
  static final int MIN_CONTRAST = 48;

  static BrightnessLevels of(VideoFrames clip) {
    long[] histogram = new long[256];
    byte[] rgb = clip.rgb();
    for (int i = 0; i < rgb.length; i += 3) {
      histogram[brightness(rgb, i)]++;
    }
    long pixels = rgb.length / 3;
    return new BrightnessLevels(
        quantile(histogram, pixels, 0.5), quantile(histogram, pixels, SHAPE_QUANTILE));
  }

  /** The largest channel of the pixel whose red byte is at {@code i}, in 0..255. */
  static int brightness(byte[] rgb, int i) {
    return Math.max(rgb[i] & 0xff, Math.max(rgb[i + 1] & 0xff, rgb[i + 2] & 0xff));
  }

  private static int quantile(long[] histogram, long pixels, double q) {
    long rank = (long) Math.ceil(q * pixels);
    long seen = 0;
    for (int v = 0; v < histogram.length; v++) {
      seen += histogram[v];
      if (seen >= rank) {
        return v;
      }
    }
    return histogram.length - 1;
  }

  /** Whether the clip has anything brighter than its background worth looking for. */
  boolean showsSomething() {
    return shape - background >= MIN_CONTRAST;
  }

  /** Pixels at or above the midpoint are the shape's: its edge on a rendered or blurred clip. */
  int threshold() {
    return background + (shape - background + 1) / 2;
  }

  /**
   * How much of a pixel the shape covers, 0 to 1: its brightness placed linearly between the
   * background and the shape levels. On a clean render this is exactly the renderer's area
   * coverage, which makes areas and centroids sub-pixel accurate.
   */
  double coverage(int brightness) {
    double c = (brightness - background) / (double) (shape - background);
    return Math.min(1, Math.max(0, c));
  }
}
