package magicvideo.models.shapes;

/**
 * A shape as two numbers that tell the world's shapes apart at any size and position ({@link
 * FrameShape#fill()} and {@link FrameShape#skew()}), and the rule that names the shape.
 *
 * <p>Ideal values: square fill 1, skew 0; circle fill pi/4 = 0.785, skew 0; triangle (pointing
 * up) fill 1/2, skew -2 sqrt(2) / 5 = -0.566. Fill alone separates them on a sharp frame, but
 * blur raises a triangle's fill towards a circle's (0.78 at a blur of 1/8 of its side), while its
 * skew stays clearly negative; so skew decides the triangle first.
 */
record ShapeSignature(double fill, double skew) {
  /**
   * Skew at or below this is a triangle. Blur adds variance but no third moment to the vertical
   * mass, so it shrinks a triangle's skew (-0.39 at a blur sigma of 1/8 of its side, -0.18 at
   * 1/4); -0.2 keeps triangles blurred by up to about a fifth of their side, and is far from the
   * +-0.07 that noise and blur give squares and circles.
   */
  static final double TRIANGLE_SKEW = -0.2;

  /** Fill below this is a triangle: midway between the triangle's 0.5 and the circle's 0.785. */
  static final double TRIANGLE_FILL = 0.64;

  /**
   * Fill at or above this is a square, below it a circle: midway between 0.785 and 1. Blur
   * lowers a square's fill little (0.99 at 1/8 of its side) and raises a circle's (0.84).
   */
  static final double SQUARE_FILL = 0.89;

  /** The world shape this signature is closest to. */
  ShapeKind shape() {
    if (skew <= TRIANGLE_SKEW || fill < TRIANGLE_FILL) {
      return ShapeKind.TRIANGLE;
    }
    return fill >= SQUARE_FILL ? ShapeKind.SQUARE : ShapeKind.CIRCLE;
  }
}
