package magicvideo.models.shapes;

import java.util.List;

/**
 * The straight, constant-speed path that best fits a clip's centroids (least squares of x and of
 * y against time, over the frames that show the shape), and how far the centroids stray from it.
 * Coordinates are fractions of the frame's width (x) and height (y); time runs from 0 at the first
 * frame to 1 at the last.
 *
 * @param dx the fitted displacement along x from the first to the last frame (the world's shapes
 *     move 0.5 along one axis and 0 along the other)
 * @param dy the fitted displacement along y (positive is down)
 * @param travel the length of the fitted displacement, {@code hypot(dx, dy)}
 * @param rms the root mean square distance between each centroid and the fitted path at its
 *     frame's time: 0 for a constant-speed straight motion, whatever the direction or speed
 * @param meanAcceleration the mean length of the second difference of consecutive centroids,
 *     {@code |c(f+1) - 2 c(f) + c(f-1)|}, per frame squared: frame-to-frame jitter, 0 for any
 *     constant velocity (0 when no three consecutive frames show the shape)
 */
public record PathFit(double dx, double dy, double travel, double rms, double meanAcceleration) {

  /** Fits {@code frames}, the clip's frames in order; at least two must show the shape. */
  static PathFit of(List<FrameShape> frames) {
    int n = frames.size();
    double sumT = 0, sumX = 0, sumY = 0;
    int found = 0;
    for (int f = 0; f < n; f++) {
      FrameShape s = frames.get(f);
      if (s.found()) {
        sumT += time(f, n);
        sumX += s.x();
        sumY += s.y();
        found++;
      }
    }
    if (found < 2) {
      throw new IllegalArgumentException("a path needs two frames with the shape, got " + found);
    }
    double meanT = sumT / found, meanX = sumX / found, meanY = sumY / found;
    double tt = 0, tx = 0, ty = 0;
    for (int f = 0; f < n; f++) {
      FrameShape s = frames.get(f);
      if (s.found()) {
        double dt = time(f, n) - meanT;
        tt += dt * dt;
        tx += dt * (s.x() - meanX);
        ty += dt * (s.y() - meanY);
      }
    }
    double vx = tx / tt, vy = ty / tt;
    double squares = 0;
    for (int f = 0; f < n; f++) {
      FrameShape s = frames.get(f);
      if (s.found()) {
        double dt = time(f, n) - meanT;
        double ex = s.x() - (meanX + vx * dt);
        double ey = s.y() - (meanY + vy * dt);
        squares += ex * ex + ey * ey;
      }
    }
    return new PathFit(vx, vy, Math.hypot(vx, vy), Math.sqrt(squares / found),
        meanAcceleration(frames));
  }

  private static double time(int frame, int frames) {
    return (double) frame / (frames - 1);
  }

  private static double meanAcceleration(List<FrameShape> frames) {
    double sum = 0;
    int triples = 0;
    for (int f = 1; f + 1 < frames.size(); f++) {
      FrameShape a = frames.get(f - 1), b = frames.get(f), c = frames.get(f + 1);
      if (a.found() && b.found() && c.found()) {
        sum += Math.hypot(c.x() - 2 * b.x() + a.x(), c.y() - 2 * b.y() + a.y());
        triples++;
      }
    }
    return triples == 0 ? 0 : sum / triples;
  }
}
