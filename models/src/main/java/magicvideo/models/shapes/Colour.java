package magicvideo.models.shapes;

/** The colours of the shapes world: pure RGB primaries, secondaries and white. */
public enum Colour {
  RED(255, 0, 0),
  GREEN(0, 255, 0),
  BLUE(0, 0, 255),
  YELLOW(255, 255, 0),
  MAGENTA(255, 0, 255),
  CYAN(0, 255, 255),
  WHITE(255, 255, 255);

  private final int r;
  private final int g;
  private final int b;

  Colour(int r, int g, int b) {
    this.r = r;
    this.g = g;
    this.b = b;
  }

  /** Channel {@code c} (0 red, 1 green, 2 blue) in 0..255. */
  public int channel(int c) {
    return c == 0 ? r : c == 1 ? g : b;
  }

  /** The caption word. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
