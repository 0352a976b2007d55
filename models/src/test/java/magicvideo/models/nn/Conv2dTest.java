package magicvideo.models.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * {@link Conv2d} against a convolution written out as matrix products, and its guard against
 * oneDNN reading the uninitialised padding of its blocked layouts (see the class comment).
 */
public class Conv2dTest {

  /** y[n,o] = b[o] + sum over (dy, dx) of w[:, :, dy, dx] x shifted (dy, dx): no convolution op. */
  private static NDArray reference(NDArray x, NDArray w, NDArray b) {
    Shape xs = x.getShape();
    long n = xs.get(0), c = xs.get(1), h = xs.get(2), wd = xs.get(3);
    long out = w.getShape().get(0);
    NDManager m = x.getManager();
    NDArray rows = m.zeros(new Shape(n, c, 1, wd));
    NDArray padded = rows.concat(x, 2).concat(rows, 2);
    NDArray cols = m.zeros(new Shape(n, c, h + 2, 1));
    padded = cols.concat(padded, 3).concat(cols, 3);
    NDArray y = m.zeros(new Shape(n, h, wd, out));
    for (int dy = 0; dy < 3; dy++) {
      for (int dx = 0; dx < 3; dx++) {
        NDArray shifted = padded.get(new NDIndex(":, :, {}:{}, {}:{}", dy, dy + h, dx, dx + wd));
        NDArray tap = w.get(new NDIndex(":, :, {}, {}", dy, dx)); // (out, c)
        y = y.add(shifted.transpose(0, 2, 3, 1).matMul(tap.transpose()));
      }
    }
    return y.add(b).transpose(0, 3, 1, 2);
  }

  /** Frees a NaN-filled block of each of several sizes, so the next allocations reuse NaN bytes. */
  private static void fillFreedHeapWithNaN(NDManager m, long elements) {
    List<NDArray> blocks = new ArrayList<>();
    for (long k : new long[] {elements / 4, elements / 2, elements, 2 * elements, 4 * elements, 8 * elements}) {
      blocks.add(m.full(new Shape(k), Float.NaN));
    }
    blocks.forEach(NDArray::close);
  }

  @Test
  public void equalsTheConvolutionWrittenAsMatrixProducts() {
    // 20 inputs and 3 outputs: both get padded on the CPU; 8 -> 16 needs none of the input padding
    int[][] shapes = {{20, 3}, {24, 8}, {8, 16}};
    for (int[] s : shapes) {
      try (NDManager m = NDManager.newBaseManager()) {
        Conv2d conv = Conv2d.k3(s[0], s[1], 0);
        conv.initialize(m, 3);
        NDArray x = m.randomNormal(new Shape(2, s[0], 9, 7));
        NDArray y = conv.forward(x, Clip.images(2));
        NDArray ref = reference(x, conv.stateDict().get("weight"), conv.stateDict().get("bias"));
        assertEquals(ref.getShape(), y.getShape());
        float err = y.sub(ref).abs().max().getFloat();
        assertTrue(s[0] + "->" + s[1] + " channels: max error " + err, err < 1e-4f);
      }
    }
  }

  @Test
  public void gradientsMatchTheMatrixProductConvolution() {
    try (NDManager m = NDManager.newBaseManager()) {
      Conv2d conv = Conv2d.k3(20, 3, 0);
      conv.initialize(m, 5);
      conv.requireGradients();
      NDArray x = m.randomNormal(new Shape(2, 20, 6, 5));
      NDArray r = m.randomNormal(new Shape(2, 3, 6, 5));
      NDArray wGrad;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(conv.forward(x, Clip.images(2)).mul(r).sum());
        wGrad = conv.stateDict().get("weight").getGradient().duplicate();
      }
      NDArray w = conv.stateDict().get("weight").duplicate();
      NDArray b = conv.stateDict().get("bias").duplicate();
      w.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(reference(x, w, b).mul(r).sum());
      }
      float err = wGrad.sub(w.getGradient()).abs().max().getFloat();
      assertTrue("weight gradient max error " + err, err < 1e-3f);
    }
  }

  @Test
  public void staysFiniteWhenTheReusedHeapHeldNaN() {
    // 20 -> 3 and 24 -> 8 channels: without the padding, oneDNN's forward pass returned NaN in
    // about 1 of 10 tries and its backward pass in almost every try after a NaN-filled free
    int[][] shapes = {{20, 3, 32}, {24, 8, 64}};
    for (int[] s : shapes) {
      try (NDManager m = NDManager.newBaseManager()) {
        Conv2d conv = Conv2d.k3(s[0], s[1], 0);
        conv.initialize(m, 7);
        NDArray x = m.randomNormal(new Shape(4, s[0], s[2], s[2]));
        for (int trial = 0; trial < 25; trial++) {
          try (NDManager call = m.newSubManager()) {
            fillFreedHeapWithNaN(call, x.size());
            NDArray y = conv.forward(x, Clip.images(4));
            assertFalse(s[0] + "->" + s[1] + " channels: NaN in the forward pass, try " + trial,
                y.isNaN().any().getBoolean());
          }
        }
        conv.requireGradients();
        x.setRequiresGradient(true);
        for (int trial = 0; trial < 10; trial++) {
          try (NDManager call = m.newSubManager();
              GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            fillFreedHeapWithNaN(call, 2 * x.size());
            NDArray y = conv.forward(x, Clip.images(4));
            NDArray loss = y.square().sum();
            fillFreedHeapWithNaN(call, 2 * x.size());
            gc.backward(loss);
            NDArray g = conv.stateDict().get("weight").getGradient();
            assertFalse(s[0] + "->" + s[1] + " channels: NaN in the weight gradient, try " + trial,
                g.isNaN().any().getBoolean());
            assertFalse(s[0] + "->" + s[1] + " channels: NaN in the input gradient, try " + trial,
                x.getGradient().isNaN().any().getBoolean());
          }
        }
      }
    }
  }
}
