package magicvideo.models.nn;

/**
 * How a batch of video frames is folded into the leading axis of 2D layers: spatial layers see
 * (batch * frames, C, H, W) with frame index fastest, temporal layers unfold it again.
 */
public record Clip(int batch, int frames) {
  public Clip {
    if (batch < 1 || frames < 1) {
      throw new IllegalArgumentException("clip needs batch >= 1 and frames >= 1, got " + batch + "x" + frames);
    }
  }

  /** One image per element: the 2D network, or frames treated independently. */
  public static Clip images(int batch) {
    return new Clip(batch, 1);
  }

  public int folded() {
    return batch * frames;
  }
}
