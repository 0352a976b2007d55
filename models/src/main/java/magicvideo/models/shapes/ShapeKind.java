package magicvideo.models.shapes;

/**
 * The shapes of the shapes world, each inside a square of side {@code w} centred on (0, 0), in
 * image coordinates (y grows downwards).
 */
public enum ShapeKind {
  SQUARE,
  CIRCLE,
  /** Pointing up: the apex at the top edge of the box, the base along its bottom edge. */
  TRIANGLE;

  /** Whether the point (dx, dy) relative to the centre lies inside the shape of width {@code w}. */
  public boolean contains(double dx, double dy, double w) {
    double half = w / 2;
    return switch (this) {
      case SQUARE -> Math.abs(dx) <= half && Math.abs(dy) <= half;
      case CIRCLE -> dx * dx + dy * dy <= half * half;
      // width grows linearly from 0 at the apex (dy = -half) to w at the base (dy = +half)
      case TRIANGLE -> dy >= -half && dy <= half && Math.abs(dx) <= (dy + half) / 2;
    };
  }

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
