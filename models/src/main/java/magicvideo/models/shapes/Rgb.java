package magicvideo.models.shapes;

/** A colour measured on a clip, channels on the 0..255 scale of the frames (not clamped). */
public record Rgb(double red, double green, double blue) {

  /** The world colour {@code c} on the same scale. */
  public static Rgb of(Colour c) {
    return new Rgb(c.channel(0), c.channel(1), c.channel(2));
  }

  /** The largest channel. */
  public double brightness() {
    return Math.max(red, Math.max(green, blue));
  }

  /**
   * This colour scaled so its largest channel is 1: its hue and saturation without its brightness,
   * so a dim red and a bright red compare equal. Black stays black.
   */
  public Rgb chroma() {
    double max = brightness();
    return max <= 0 ? new Rgb(0, 0, 0) : new Rgb(red / max, green / max, blue / max);
  }

  /** Euclidean distance between the two colours. */
  public double distance(Rgb other) {
    return Math.sqrt(
        square(red - other.red) + square(green - other.green) + square(blue - other.blue));
  }

  private static double square(double v) {
    return v * v;
  }
}
