package magicvideo.models.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The latents of one clip as plain floats, [frames, channels, height, width]: the element that
 * flows between the GPU stages (keyframes -> interpolation -> decoding). 16 x 4 x 32 x 32 floats
 * = 256 KiB for an SD-sized keyframe clip; the NDArrays of a stage never outlive its call.
 */
public record LatentClip(int frames, int channels, int height, int width, float[] data) implements Serializable {

  public LatentClip {
    long expected = (long) frames * channels * height * width;
    if (data.length != expected) {
      throw new IllegalArgumentException("latent clip has " + data.length + " floats, expected " + expected
          + " for " + frames + "x" + channels + "x" + height + "x" + width);
    }
  }

  public Shape shape() {
    return new Shape(frames, channels, height, width);
  }

  /** Clip {@code index} of a (B, F, C, h, w) array. */
  public static LatentClip of(NDArray batch, int index) {
    Shape s = batch.getShape();
    return new LatentClip(Math.toIntExact(s.get(1)), Math.toIntExact(s.get(2)), Math.toIntExact(s.get(3)),
        Math.toIntExact(s.get(4)), batch.get(index).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
  }

  /** Stacks clips of equal shape into (B, F, C, h, w) on {@code manager}. */
  public static NDArray stack(NDManager manager, java.util.List<LatentClip> clips) {
    LatentClip first = clips.get(0);
    float[] all = new float[first.data.length * clips.size()];
    for (int i = 0; i < clips.size(); i++) {
      LatentClip c = clips.get(i);
      if (!c.shape().equals(first.shape())) {
        throw new IllegalArgumentException("latent clips of one batch must have one shape: "
            + first.shape() + " vs " + c.shape() + " at index " + i);
      }
      System.arraycopy(c.data, 0, all, i * first.data.length, first.data.length);
    }
    return manager.create(all, new Shape(clips.size(), first.frames, first.channels, first.height, first.width));
  }

  public boolean isFinite() {
    for (float v : data) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatentClip c && c.shape().equals(shape()) && Arrays.equals(c.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * shape().hashCode() + Arrays.hashCode(data);
  }
}
