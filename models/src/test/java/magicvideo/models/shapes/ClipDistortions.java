package magicvideo.models.shapes;

import java.util.SplittableRandom;
import magicvideo.models.VideoFrames;

/** What a generated clip does to a clean render, for tests: noise and blur. */
final class ClipDistortions {
  private ClipDistortions() {}

  /** Adds independent Gaussian noise of {@code sigma} (0..255 scale) to every channel, clamped. */
  static VideoFrames noise(VideoFrames clip, double sigma, SplittableRandom random) {
    byte[] out = clip.rgb().clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = clamp((out[i] & 0xff) + sigma * random.nextGaussian());
    }
    return new VideoFrames(clip.frames(), clip.height(), clip.width(), clip.fps(), out);
  }

  /** Gaussian blur of standard deviation {@code sigma} pixels within each frame. */
  static VideoFrames blur(VideoFrames clip, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    double[] kernel = new double[2 * radius + 1];
    double total = 0;
    for (int k = -radius; k <= radius; k++) {
      kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
      total += kernel[k + radius];
    }
    for (int k = 0; k < kernel.length; k++) {
      kernel[k] /= total;
    }
    int w = clip.width(), h = clip.height();
    double[] pass = new double[clip.rgb().length];
    byte[] in = clip.rgb();
    byte[] out = new byte[in.length];
    for (int f = 0; f < clip.frames(); f++) {
      int base = f * clip.frameBytes();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int k = -radius; k <= radius; k++) {
              int sx = Math.min(w - 1, Math.max(0, x + k));
              sum += kernel[k + radius] * (in[base + (y * w + sx) * 3 + c] & 0xff);
            }
            pass[base + (y * w + x) * 3 + c] = sum;
          }
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int k = -radius; k <= radius; k++) {
              int sy = Math.min(h - 1, Math.max(0, y + k));
              sum += kernel[k + radius] * pass[base + (sy * w + x) * 3 + c];
            }
            out[base + (y * w + x) * 3 + c] = clamp(sum);
          }
        }
      }
    }
    return new VideoFrames(clip.frames(), h, w, clip.fps(), out);
  }

  private static byte clamp(double v) {
    return (byte) Math.max(0, Math.min(255, Math.round(v)));
  }
}
