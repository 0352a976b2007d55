package magicvideo.transforms.video;

import magicvideo.models.VideoFrames;

/** Pads clips to the even width and height that 4:2:0 H.264 requires. */
final class EvenSize {

  private EvenSize() {}

  /**
   * Returns {@code clip} itself when both sizes are even, otherwise a copy one pixel wider and/or
   * taller whose extra column and row repeat the last ones (edge replication keeps the padding
   * invisible to the encoder's prediction, unlike black).
   */
  static VideoFrames pad(VideoFrames clip) {
    int width = clip.width() + clip.width() % 2;
    int height = clip.height() + clip.height() % 2;
    if (width == clip.width() && height == clip.height()) {
      return clip;
    }
    byte[] src = clip.rgb();
    byte[] dst = new byte[clip.frames() * height * width * 3];
    int srcRow = clip.width() * 3;
    int dstRow = width * 3;
    for (int f = 0; f < clip.frames(); f++) {
      int srcFrame = f * clip.frameBytes();
      int dstFrame = f * height * dstRow;
      for (int y = 0; y < height; y++) {
        int srcAt = srcFrame + Math.min(y, clip.height() - 1) * srcRow;
        int dstAt = dstFrame + y * dstRow;
        System.arraycopy(src, srcAt, dst, dstAt, srcRow);
        if (width > clip.width()) {
          System.arraycopy(src, srcAt + srcRow - 3, dst, dstAt + srcRow, 3);
        }
      }
    }
    return new VideoFrames(clip.frames(), height, width, clip.fps(), dst);
  }
}
