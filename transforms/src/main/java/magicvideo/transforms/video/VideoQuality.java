package magicvideo.transforms.video;

import magicvideo.models.VideoFrames;

/** Objective quality of a decoded clip against the frames that were encoded. */
public final class VideoQuality {

  private VideoQuality() {}

  /**
   * Peak signal-to-noise ratio in dB over all frames and channels (8-bit peak 255); infinite for
   * identical clips. Both clips must have the same frame count and size.
   */
  public static double psnr(VideoFrames reference, VideoFrames decoded) {
    if (reference.frames() != decoded.frames() || reference.width() != decoded.width()
        || reference.height() != decoded.height()) {
      throw new IllegalArgumentException("PSNR needs clips of one shape, got "
          + shape(reference) + " and " + shape(decoded));
    }
    byte[] a = reference.rgb();
    byte[] b = decoded.rgb();
    double squaredError = 0;
    for (int i = 0; i < a.length; i++) {
      int d = (a[i] & 0xff) - (b[i] & 0xff);
      squaredError += d * d;
    }
    double mse = squaredError / a.length;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  private static String shape(VideoFrames clip) {
    return clip.frames() + "x" + clip.height() + "x" + clip.width();
  }
}
