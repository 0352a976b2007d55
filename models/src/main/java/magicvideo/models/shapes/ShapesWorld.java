package magicvideo.models.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import magicvideo.models.VideoFrames;

/**
 * The synthetic world the demo model is trained on: one solid shape on a black background per
 * clip, moving at constant speed in one direction. Geometry is in units of the frame side, so one
 * clip renders at any resolution; pixels are the shape's area coverage (supersampled), so a
 * 32-pixel rendering is close to the 4x area-downsampled 128-pixel one.
 */
public final class ShapesWorld {
  /** Side of the shape's box, in frame widths: about a quarter of the frame. */
  public static final double SHAPE_SIZE = 0.25;

  /** Distance the shape's centre travels over the clip, in frame widths. */
  public static final double TRAVEL = 0.5;

  /** Combinations kept out of all training (every direction of each). */
  public static final Set<String> HELD_OUT_PAIRS = Set.of("magenta triangle", "cyan circle", "yellow square");

  /** Subsamples per pixel side are chosen so the sampling grid is at least this fine. */
  private static final int SAMPLING_RESOLUTION = 256;

  private ShapesWorld() {}

  /** One clip: what it shows and where the shape starts (its centre, in frame widths). */
  public record Motion(Caption caption, double startX, double startY) {
    /** The shape's centre at {@code t} in [0, 1] (the clip's first to last frame). */
    public double x(double t) {
      return startX + caption.direction().dx() * TRAVEL * t;
    }

    public double y(double t) {
      return startY + caption.direction().dy() * TRAVEL * t;
    }
  }

  /** Whether a colour and shape pair is one of the held-out combinations. */
  public static boolean isHeldOut(Caption c) {
    return HELD_OUT_PAIRS.contains(c.colour().word() + " " + c.shape().word());
  }

  /** All 84 captions of the world, in enum order. */
  public static List<Caption> allCaptions() {
    List<Caption> out = new ArrayList<>();
    for (Colour c : Colour.values()) {
      for (ShapeKind s : ShapeKind.values()) {
        for (Direction d : Direction.values()) {
          out.add(new Caption(c, s, d));
        }
      }
    }
    return out;
  }

  /** The 72 captions training may use. */
  public static List<Caption> trainingCaptions() {
    return allCaptions().stream().filter(c -> !isHeldOut(c)).toList();
  }

  /** The 12 held-out captions. */
  public static List<Caption> heldOutCaptions() {
    return allCaptions().stream().filter(ShapesWorld::isHeldOut).toList();
  }

  /**
   * A random start for {@code caption}: anywhere such that the whole shape stays inside the frame
   * for the whole clip.
   */
  public static Motion sample(Caption caption, SplittableRandom random) {
    double half = SHAPE_SIZE / 2;
    double x = along(caption.direction().dx(), random, half);
    double y = along(caption.direction().dy(), random, half);
    return new Motion(caption, x, y);
  }

  /** Start coordinate on one axis: moving by {@code sign * TRAVEL} along it must stay inside. */
  private static double along(int sign, SplittableRandom random, double half) {
    double lo = half + (sign < 0 ? TRAVEL : 0);
    double hi = 1 - half - (sign > 0 ? TRAVEL : 0);
    return lo + random.nextDouble() * (hi - lo);
  }

  /** Renders {@code motion} as {@code frames} square frames of {@code size} pixels, first to last. */
  public static VideoFrames render(Motion motion, int frames, int size, double fps) {
    if (frames < 2) {
      throw new IllegalArgumentException("a shapes clip needs >= 2 frames, got " + frames);
    }
    double[] times = new double[frames];
    for (int f = 0; f < frames; f++) {
      times[f] = (double) f / (frames - 1);
    }
    return render(motion, times, size, fps);
  }

  /**
   * Renders {@code motion} at the clip times {@code times} (each in [0, 1]): how training takes the
   * keyframes or one interpolation window of a clip without drawing the rest.
   */
  public static VideoFrames render(Motion motion, double[] times, int size, double fps) {
    if (times.length < 1 || size < 4) {
      throw new IllegalArgumentException("a shapes clip needs >= 1 frame of >= 4 pixels, got "
          + times.length + " x " + size);
    }
    int sub = Math.max(1, (SAMPLING_RESOLUTION + size - 1) / size);
    double step = 1.0 / (size * sub);
    double half = SHAPE_SIZE / 2;
    byte[] rgb = new byte[times.length * size * size * 3];
    Caption c = motion.caption();
    for (int f = 0; f < times.length; f++) {
      double cx = motion.x(times[f]), cy = motion.y(times[f]);
      int base = f * size * size * 3;
      // only the pixels of the shape's box can be covered
      int y0 = Math.max(0, (int) Math.floor((cy - half) * size)), y1 = Math.min(size - 1, (int) ((cy + half) * size));
      int x0 = Math.max(0, (int) Math.floor((cx - half) * size)), x1 = Math.min(size - 1, (int) ((cx + half) * size));
      for (int py = y0; py <= y1; py++) {
        for (int px = x0; px <= x1; px++) {
          int inside = 0;
          for (int sy = 0; sy < sub; sy++) {
            double y = (py * sub + sy + 0.5) * step - cy;
            for (int sx = 0; sx < sub; sx++) {
              double x = (px * sub + sx + 0.5) * step - cx;
              if (c.shape().contains(x, y, SHAPE_SIZE)) {
                inside++;
              }
            }
          }
          if (inside > 0) {
            double coverage = (double) inside / (sub * sub);
            int o = base + (py * size + px) * 3;
            for (int ch = 0; ch < 3; ch++) {
              rgb[o + ch] = (byte) Math.round(coverage * c.colour().channel(ch));
            }
          }
        }
      }
    }
    return new VideoFrames(times.length, size, size, fps, rgb);
  }
}
