package magicvideo.models.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.Test;

/** Numerical checks of the building blocks against their definitions. */
public class LayersTest {

  @Test
  public void groupNormNormalisesEachGroupOfEachSample() {
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm gn = new GroupNorm(2, 4, 1e-5f);
      gn.initialize(m, 0);
      NDArray x = m.randomNormal(3f, 2f, new Shape(2, 4, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
      NDArray y = gn.forward(x).reshape(2, 2, -1);
      assertEquals(0f, y.mean(new int[] {2}).abs().max().getFloat(), 1e-4f);
      NDArray var = y.square().mean(new int[] {2});
      assertEquals(1f, var.min().getFloat(), 1e-3f);
      assertEquals(1f, var.max().getFloat(), 1e-3f);
    }
  }

  @Test
  public void attentionMatchesDirectSoftmaxFormula() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray q = m.randomNormal(new Shape(1, 3, 4));
      NDArray k = m.randomNormal(new Shape(1, 5, 4));
      NDArray v = m.randomNormal(new Shape(1, 5, 4));
      NDArray out = Attention.attend(q, k, v, 1, null);
      NDArray ref = q.matMul(k.transpose(0, 2, 1)).div(2f).softmax(-1).matMul(v);
      assertTrue(out.sub(ref).abs().max().getFloat() < 1e-6f);
    }
  }

  @Test
  public void causalMaskHidesTheFuture() {
    try (NDManager m = NDManager.newBaseManager()) {
      // values are one-hot positions, so the output row i is the attention weights of query i
      NDArray q = m.randomNormal(new Shape(1, 4, 4));
      NDArray k = m.randomNormal(new Shape(1, 4, 4));
      NDArray v = m.eye(4).reshape(1, 4, 4);
      float[] w = Attention.attend(q, k, v, 1, Attention.causalMask(m, 4)).toFloatArray();
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          if (j > i) {
            assertEquals(0f, w[i * 4 + j], 0f);
          } else {
            assertTrue(w[i * 4 + j] > 0f);
          }
        }
      }
    }
  }

  @Test
  public void sinusoidMatchesDiffusersLayout() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] e = Ops.sinusoid(m.create(new float[] {0f, 2f}), 4).toFloatArray();
      // t=0 -> [cos 0, cos 0, sin 0, sin 0]; t=2 -> [cos 2, cos 2e-2, sin 2, sin 2e-2]
      float[] expected = {1, 1, 0, 0, (float) Math.cos(2), (float) Math.cos(0.02),
          (float) Math.sin(2), (float) Math.sin(0.02)};
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], e[i], 1e-6f);
      }
    }
  }

  @Test
  public void nearestUpsamplingRepeatsPixels() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      float[] y = Ops.upsampleNearest2x(x).toFloatArray();
      assertEquals(16, y.length);
      float[] expected = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
      for (int i = 0; i < 16; i++) {
        assertEquals(expected[i], y[i], 0f);
      }
    }
  }
}
