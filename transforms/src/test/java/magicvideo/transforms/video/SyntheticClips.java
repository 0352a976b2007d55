package magicvideo.transforms.video;

import magicvideo.models.VideoFrames;

/** Test clips whose every pixel is known: a coloured square moving over a smooth gradient. */
final class SyntheticClips {

  private SyntheticClips() {}

  /**
   * The square (a quarter of the smaller side, even) moves two pixels right and down per frame,
   * so consecutive frames differ and a decoder that repeats or drops frames loses PSNR. Its edges
   * stay on even pixels, the 2x2 grid of 4:2:0 chroma, so colour subsampling alone costs little
   * and the PSNR measures the codec.
   */
  static VideoFrames movingSquare(int frames, int height, int width, double fps) {
    byte[] rgb = new byte[frames * height * width * 3];
    int side = Math.max(2, Math.min(height, width) / 8 * 2);
    int i = 0;
    for (int f = 0; f < frames; f++) {
      int top = 2 * f % Math.max(2, height - side);
      int left = 2 * f % Math.max(2, width - side);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          boolean inSquare = y >= top && y < top + side && x >= left && x < left + side;
          rgb[i++] = (byte) (inSquare ? 230 : 40 + 160 * x / width);
          rgb[i++] = (byte) (inSquare ? 60 : 40 + 160 * y / height);
          rgb[i++] = (byte) (inSquare ? 30 : 120);
        }
      }
    }
    return new VideoFrames(frames, height, width, fps, rgb);
  }
}
