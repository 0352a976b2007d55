package magicvideo.models.shapes;

import java.util.Arrays;

/**
 * Where the shape is in one frame: the largest 4-connected set of pixels at or above the clip's
 * threshold (the shape's core), grown by a ring of a few pixels that holds its soft edge (pixels
 * the shape only partly covers, and the blur of a generated frame).
 *
 * <p>A frame shows no shape when that set is implausible for one solid shape: smaller than
 * {@value #MIN_AREA} or larger than {@value #MAX_AREA} of the frame (the world's shapes cover
 * 3.1% to 6.3%), or holding less than {@value #MIN_SHARE} of the frame's bright pixels (noise
 * breaks into many small specks; a shape is one blob).
 */
final class ShapeBlob {
  static final double MIN_AREA = 0.004;
  static final double MAX_AREA = 0.25;
  static final double MIN_SHARE = 0.5;

  /**
   * Ring width per pixel of frame side: two pixels at the keyframes' 32x32, eight at 128x128, a
   * quarter of the shape's side. Wide enough to hold the tail of a blur of an eighth of the side
   * (2 sigma), whose loss would bias area and moments; narrow enough that the noise floor it takes
   * in stays small (coverage subtracts the background level).
   */
  private static final double RING_PER_PIXEL = 1 / 16.0;

  private final boolean[] core;
  private final boolean[] region;
  private final int width;
  private final int height;
  private final int left;
  private final int top;
  private final int right;
  private final int bottom;

  private ShapeBlob(boolean[] core, boolean[] region, int width, int height, int left, int top,
      int right, int bottom) {
    this.core = core;
    this.region = region;
    this.width = width;
    this.height = height;
    this.left = left;
    this.top = top;
    this.right = right;
    this.bottom = bottom;
  }

  /**
   * The shape in a frame of {@code width x height} brightness values (row-major), or null when
   * the frame shows none.
   */
  static ShapeBlob find(int[] brightness, int width, int height, int threshold) {
    int pixels = width * height;
    boolean[] visited = new boolean[pixels];
    int[] queue = new int[pixels];
    int[] largest = new int[0];
    int bright = 0;
    for (int start = 0; start < pixels; start++) {
      if (visited[start] || brightness[start] < threshold) {
        continue;
      }
      int size = floodFill(brightness, width, height, threshold, start, visited, queue);
      bright += size;
      if (size > largest.length) {
        largest = Arrays.copyOf(queue, size);
      }
    }
    if (largest.length < MIN_AREA * pixels || largest.length > MAX_AREA * pixels
        || largest.length < MIN_SHARE * bright) {
      return null;
    }
    int ring = Math.max(1, (int) Math.round(Math.max(width, height) * RING_PER_PIXEL));
    return grow(largest, width, height, ring);
  }

  /** Marks the component of {@code start}; its pixels are left in {@code queue[0..size)}. */
  private static int floodFill(int[] brightness, int width, int height, int threshold, int start,
      boolean[] visited, int[] queue) {
    int head = 0;
    int tail = 0;
    queue[tail++] = start;
    visited[start] = true;
    while (head < tail) {
      int p = queue[head++];
      int x = p % width;
      int y = p / width;
      int[] neighbours = {x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1,
          y > 0 ? p - width : -1, y < height - 1 ? p + width : -1};
      for (int n : neighbours) {
        if (n >= 0 && !visited[n] && brightness[n] >= threshold) {
          visited[n] = true;
          queue[tail++] = n;
        }
      }
    }
    return tail;
  }

  /** The core pixels dilated by a square of side {@code 2 * ring + 1}, one axis at a time. */
  private static ShapeBlob grow(int[] core, int width, int height, int ring) {
    int minX = width, minY = height, maxX = -1, maxY = -1;
    boolean[] inCore = new boolean[width * height];
    boolean[] rows = new boolean[width * height];
    for (int p : core) {
      inCore[p] = true;
      int x = p % width;
      int y = p / width;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      for (int dx = Math.max(0, x - ring); dx <= Math.min(width - 1, x + ring); dx++) {
        rows[y * width + dx] = true;
      }
    }
    int left = Math.max(0, minX - ring);
    int right = Math.min(width - 1, maxX + ring);
    int top = Math.max(0, minY - ring);
    int bottom = Math.min(height - 1, maxY + ring);
    boolean[] region = new boolean[width * height];
    for (int y = minY; y <= maxY; y++) {
      for (int x = left; x <= right; x++) {
        if (rows[y * width + x]) {
          for (int dy = Math.max(0, y - ring); dy <= Math.min(height - 1, y + ring); dy++) {
            region[dy * width + x] = true;
          }
        }
      }
    }
    return new ShapeBlob(inCore, region, width, height, left, top, right, bottom);
  }

  /** Whether pixel (x, y) is in the core or its ring. */
  boolean contains(int x, int y) {
    return region[y * width + x];
  }

  /** Whether pixel (x, y) is in the core: at or above the threshold and connected. */
  boolean isCore(int x, int y) {
    return core[y * width + x];
  }

  /**
   * Whether pixel (x, y) is inside the core, away from its edge: it and its four neighbours are
   * all core pixels (a pixel on the frame's border is never interior).
   */
  boolean isInterior(int x, int y) {
    return x > 0 && y > 0 && x < width - 1 && y < height - 1
        && core[y * width + x] && core[y * width + x - 1] && core[y * width + x + 1]
        && core[(y - 1) * width + x] && core[(y + 1) * width + x];
  }

  /** Bounds of the core and ring, inclusive, in pixels. */
  int left() {
    return left;
  }

  int top() {
    return top;
  }

  int right() {
    return right;
  }

  int bottom() {
    return bottom;
  }
}
