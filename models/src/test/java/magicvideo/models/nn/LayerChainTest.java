package magicvideo.models.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.Test;

public class LayerChainTest {

  @Test
  public void keepsOnlyTheInputAndTheOutput() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray input = m.create(new float[] {1f, 2f});
      // each layer leaves two temporaries behind
      UnaryOperator<NDArray> layer = x -> x.mul(2f).add(1f).sub(1f);
      NDArray out = LayerChain.run(input, List.of(layer, layer, layer));
      assertArrayEquals(new float[] {8f, 16f}, out.toFloatArray(), 0f);
      assertSame(m, out.getManager());
      assertSame(m, input.getManager());
      List<NDArray> live = m.getManagedArrays();
      assertEquals("live arrays: " + live, 2, live.size());
      assertTrue(live.stream().anyMatch(a -> a == input) && live.stream().anyMatch(a -> a == out));
    }
  }
}
