package magicvideo.models;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A clip of RGB frames as bytes: the compact element that flows from VideoVAE decoding (and
 * super-resolution) to the video encoder. Layout [frames, height, width, 3], row-major, RGB, one
 * unsigned byte per channel.
 */
public record VideoFrames(int frames, int height, int width, double fps, byte[] rgb)
    implements Serializable {

  public VideoFrames {
    if (frames < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "VideoFrames needs frames, height and width >= 1, got " + frames + "x" + height + "x" + width);
    }
    if (!(fps > 0)) {
      throw new IllegalArgumentException("VideoFrames fps must be > 0, got " + fps);
    }
    long expected = (long) frames * height * width * 3;
    if (rgb.length != expected) {
      throw new IllegalArgumentException(
          "VideoFrames rgb has " + rgb.length + " bytes, expected " + expected
              + " for " + frames + "x" + height + "x" + width + "x3");
    }
  }

  public int frameBytes() {
    return height * width * 3;
  }

  /** Copy of frame {@code f} as [height, width, 3] RGB bytes. */
  public byte[] frame(int f) {
    int n = frameBytes();
    return Arrays.copyOfRange(rgb, f * n, (f + 1) * n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VideoFrames v && v.frames == frames && v.height == height
        && v.width == width && Double.compare(v.fps, fps) == 0 && Arrays.equals(v.rgb, rgb);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(new int[] {frames, height, width}) + Arrays.hashCode(rgb);
  }
}
