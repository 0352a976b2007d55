package magicvideo.models;

import static org.junit.Assert.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.Test;

public class EngineSmokeTest {
  @Test
  public void pytorchEngineRunsOffline() {
    assertEquals("PyTorch", Engine.getInstance().getEngineName());
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.ones(new Shape(2, 3));
      assertEquals(6f, a.sum().getFloat(), 0f);
    }
  }
}
