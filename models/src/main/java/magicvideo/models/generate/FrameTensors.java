package magicvideo.models.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;
import magicvideo.models.VideoFrames;

/** Conversions between uint8 clips ({@link VideoFrames}) and the networks' float tensors. */
public final class FrameTensors {
  private FrameTensors() {}

  /** Clips of one size -> (B, F, 3, H, W) float32 in [-1, 1] on {@code m}. */
  public static NDArray toTensor(NDManager m, List<VideoFrames> videos) {
    VideoFrames first = videos.get(0);
    byte[] all = new byte[first.rgb().length * videos.size()];
    for (int i = 0; i < videos.size(); i++) {
      VideoFrames v = videos.get(i);
      if (v.frames() != first.frames() || v.height() != first.height() || v.width() != first.width()) {
        throw new IllegalArgumentException("clips of one tensor must have one size, got "
            + v.frames() + "x" + v.height() + "x" + v.width() + " and "
            + first.frames() + "x" + first.height() + "x" + first.width());
      }
      System.arraycopy(v.rgb(), 0, all, i * first.rgb().length, first.rgb().length);
    }
    NDArray u8 = m.create(ByteBuffer.wrap(all),
        new Shape(videos.size(), first.frames(), first.height(), first.width(), 3), DataType.UINT8);
    return u8.toType(DataType.FLOAT32, false).div(127.5f).sub(1f).transpose(0, 1, 4, 2, 3);
  }

  /** (B, F, 3, H, W) in [-1, 1] (any float type) -> one [F, H, W, 3] uint8 array per clip. */
  public static byte[][] toRgbBytes(NDArray frames) {
    NDArray u8 = frames.toType(DataType.FLOAT32, false).add(1f).mul(127.5f).clip(0, 255).round()
        .transpose(0, 1, 3, 4, 2).toType(DataType.UINT8, false);
    byte[][] out = new byte[Math.toIntExact(u8.getShape().get(0))][];
    for (int i = 0; i < out.length; i++) {
      out[i] = u8.get(i).toByteArray();
    }
    return out;
  }

  /** (B, F, 3, H, W) in [-1, 1] -> one clip per row at {@code fps}. */
  public static List<VideoFrames> toVideoFrames(NDArray frames, double fps) {
    Shape s = frames.getShape();
    int f = Math.toIntExact(s.get(1)), h = Math.toIntExact(s.get(3)), w = Math.toIntExact(s.get(4));
    return java.util.Arrays.stream(toRgbBytes(frames)).map(clip -> new VideoFrames(f, h, w, fps, clip)).toList();
  }
}
