package magicvideo.models.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.Test;

/** The memory test relies on telling native tensors from the Java heap: check that it does. */
public class ProcessMemoryTest {
  private static final int MB_100 = 100 << 20;

  @Test
  public void aNativeTensorCountsOutsideTheHeapAndAJavaArrayDoesNot() {
    try (NDManager m = NDManager.newBaseManager()) {
      long before = ProcessMemory.nativeResidentBytes();
      int arraysBefore = ProcessMemory.liveArrays();
      NDArray tensor = m.ones(new Shape(MB_100 / 4)); // written, so resident
      long withTensor = ProcessMemory.nativeResidentBytes();
      assertEquals(arraysBefore + 1, ProcessMemory.liveArrays());
      assertTrue("a 100 MB tensor added " + (withTensor - before) / (1 << 20) + " MB outside the heap",
          withTensor - before > 90L << 20);

      byte[] heapArray = new byte[MB_100];
      Arrays.fill(heapArray, (byte) 1);
      long withArray = ProcessMemory.nativeResidentBytes();
      assertTrue("a 100 MB Java array added " + (withArray - withTensor) / (1 << 20) + " MB outside the heap",
          Math.abs(withArray - withTensor) < 20L << 20);
      assertTrue(ProcessMemory.residentBytes() > withArray);
      assertEquals(1, heapArray[MB_100 - 1]);
      tensor.close();
    }
  }
}
