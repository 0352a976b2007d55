package magicvideo.models.generate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.Test;

public class LatentInterpolationTest {

  @Test
  public void sixteenKeyframesWithThreeBetweenGiveSixtyOneFrames() {
    assertEquals(61, LatentInterpolation.denseFrames(16, 3));
  }

  /** Keyframe k of clip b is filled with the value 100 b + k in every element. */
  private static NDArray labelledKeyframes(NDManager m, int b, int k) {
    float[] v = new float[b * k * 2 * 2 * 2];
    for (int i = 0; i < v.length; i++) {
      int frame = i / 8;
      v[i] = 100 * (frame / k) + frame % k;
    }
    return m.create(v, new Shape(b, k, 2, 2, 2));
  }

  @Test
  public void conditioningPlacesBothKeyframesAndTheMask() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray keys = labelledKeyframes(m, 2, 4);
      NDArray cond = LatentInterpolation.conditioning(keys, 3);
      assertEquals(new Shape(6, 5, 3, 2, 2), cond.getShape());
      // window of clip 1, pair 2: keyframes 102 and 103
      NDArray win = cond.get(new NDIndex("{}", 1 * 3 + 2));
      assertEquals(102f, win.get(new NDIndex("0, 0")).max().getFloat(), 0f);
      assertEquals(103f, win.get(new NDIndex("4, 1")).min().getFloat(), 0f);
      assertEquals(0f, win.get(new NDIndex("1:4, 0:2")).abs().max().getFloat(), 0f);
      float[] mask = win.get(new NDIndex(":, 2, 0, 0")).toFloatArray();
      assertArrayEquals(new float[] {1, 0, 0, 0, 1}, mask, 0f);
    }
  }

  @Test
  public void assembleKeepsKeyframesAndOrdersGeneratedFrames() {
    try (NDManager m = NDManager.newBaseManager()) {
      int b = 2, k = 4, n = 3;
      NDArray keys = labelledKeyframes(m, b, k);
      // generated frame j of window p is filled with -(10 p + j)
      float[] v = new float[b * (k - 1) * (n + 2) * 8];
      for (int i = 0; i < v.length; i++) {
        int frame = i / 8;
        v[i] = -(10 * (frame / (n + 2)) + frame % (n + 2));
      }
      NDArray windows = m.create(v, new Shape(b * (k - 1), n + 2, 2, 2, 2));
      NDArray dense = LatentInterpolation.assemble(keys, windows, n);
      assertEquals(new Shape(b, 13, 2, 2, 2), dense.getShape());
      float[] firstElement = dense.get(new NDIndex("1, :, 0, 0, 0")).toFloatArray();
      // clip 1: key 100, window 3 frames 1..3, key 101, window 4 ..., key 103 last
      assertArrayEquals(new float[] {100, -31, -32, -33, 101, -41, -42, -43, 102, -51, -52, -53, 103},
          firstElement, 0f);
    }
  }
}
