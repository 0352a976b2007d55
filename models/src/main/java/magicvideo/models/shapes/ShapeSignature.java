package magicvideo.models.shapes;

/**
 * A shape as two numbers that tell the world's shapes apart at any size and position ({@link
 * FrameShape#fill()} and {@link FrameShape#asymmetry()}), and the rule that names the shape.
 *
 * <p>Ideal values: square fill 1, asymmetry 0; circle fill pi/4 = 0.785, asymmetry 0; triangle
 * (pointing up) fill 1/2, asymmetry +1. Asymmetry alone names the triangle: it is what "pointing
 * up" means (a triangle pointing down is -1, and not one of the world's shapes), and it survives
 * blur, which raises a triangle's fill to a circle's (0.78 at a blur sigma of 1/8 of its side).
 * Fill then separates the square from the circle.
 */
record ShapeSignature(double fill, double asymmetry) {
  /**
   * Asymmetry at or above this is a triangle. Measured on the world's clips under noise (sigma
   * 12 of 255) and a blur of 1/8 of the shape's side: triangles 0.7 to 1.2, squares and circles
   * within +-0.17; at a blur of 3/16, where the blur's tail leaves the measured region, triangles
   * from 0.38 and the others within +-0.3.
   */
  static final double TRIANGLE_ASYMMETRY = 0.35;

  /**
   * Fill at or above this is a square, below it a circle. Above the midpoint of 0.785 and 1
   * because blur raises a circle's fill (0.85 at a blur of 1/8 of its side, 0.89 at 3/16) more
   * than it lowers a square's (0.99 and 0.95).
   */
  static final double SQUARE_FILL = 0.92;

  /** The world shape this signature names. */
  ShapeKind shape() {
    if (asymmetry >= TRIANGLE_ASYMMETRY) {
      return ShapeKind.TRIANGLE;
    }
    return fill >= SQUARE_FILL ? ShapeKind.SQUARE : ShapeKind.CIRCLE;
  }
}
