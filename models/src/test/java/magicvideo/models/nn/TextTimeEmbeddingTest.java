package magicvideo.models.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import magicvideo.models.sampling.SeededNoise;
import org.junit.After;
import org.junit.Test;

public class TextTimeEmbeddingTest {
  private final NDManager manager = NDManager.newBaseManager();

  @After
  public void close() {
    manager.close();
  }

  /**
   * Attention pooling has no token positions: reordering the tokens leaves the embedding as it is,
   * changing one token moves it, and each prompt of a batch is pooled on its own. The output is
   * LayerNorm'd to the timestep embedding's width.
   */
  @Test
  public void poolsEachPromptIndependentlyOfTokenOrder() {
    TextTimeEmbedding e = new TextTimeEmbedding(16, 48, 4);
    e.initialize(manager, 3);
    NDArray context = SeededNoise.forSeed(1).gaussian(manager, new Shape(2, 5, 16));
    NDArray out = e.forward(context);
    assertEquals(new Shape(2, 48), out.getShape());
    assertEquals(0f, out.get(0).mean().getFloat(), 1e-5f);

    NDArray reversed = context.get(":, 4:5").concat(context.get(":, 3:4"), 1).concat(context.get(":, 2:3"), 1)
        .concat(context.get(":, 1:2"), 1).concat(context.get(":, 0:1"), 1);
    assertTrue(reversed.sub(context).abs().max().getFloat() > 0.1f);
    assertEquals(0f, e.forward(reversed).sub(out).abs().max().getFloat(), 1e-5f);

    NDArray changed = context.duplicate();
    changed.set(new ai.djl.ndarray.index.NDIndex("1, 3, :"), SeededNoise.forSeed(2).gaussian(manager, new Shape(16)));
    NDArray moved = e.forward(changed);
    assertEquals("the first prompt is pooled on its own", 0f, moved.get(0).sub(out.get(0)).abs().max().getFloat(),
        1e-6f);
    assertTrue(moved.get(1).sub(out.get(1)).abs().max().getFloat() > 1e-3f);
  }
}
