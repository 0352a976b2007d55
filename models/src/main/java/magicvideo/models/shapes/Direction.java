package magicvideo.models.shapes;

/** Directions of motion in image coordinates (y grows downwards, so UP is dy = -1). */
public enum Direction {
  LEFT(-1, 0),
  RIGHT(1, 0),
  UP(0, -1),
  DOWN(0, 1);

  private final int dx;
  private final int dy;

  Direction(int dx, int dy) {
    this.dx = dx;
    this.dy = dy;
  }

  public int dx() {
    return dx;
  }

  public int dy() {
    return dy;
  }

  /** The direction that moves the other way along the same axis. */
  public Direction opposite() {
    return switch (this) {
      case LEFT -> RIGHT;
      case RIGHT -> LEFT;
      case UP -> DOWN;
      case DOWN -> UP;
    };
  }

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
