package magicvideo.models.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SafeTensorsNDArrayTest {

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private NDManager manager;

  @Before
  public void setUp() {
    manager = NDManager.newBaseManager();
  }

  @After
  public void tearDown() {
    manager.close();
  }

  /** Parameters named and shaped like a network's, values distinct per element. */
  private Map<String, NDArray> parameters(float offset) {
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    parameters.put("conv_in.weight",
        manager.arange(offset, offset + 2 * 3 * 3 * 3, 1f).reshape(2, 3, 3, 3));
    parameters.put("conv_in.bias", manager.create(new float[] {offset, -offset}));
    return parameters;
  }

  @Test
  public void writesArraysAndReadsThemBack() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("vae.safetensors");
    Map<String, NDArray> written = parameters(1f);
    SafeTensors.writeArrays(file, written);

    Map<String, NDArray> read = SafeTensors.read(file, manager);
    assertEquals(written.keySet(), read.keySet());
    for (String name : written.keySet()) {
      assertEquals(DataType.FLOAT32, read.get(name).getDataType());
      assertEquals(written.get(name), read.get(name));
    }
  }

  @Test
  public void writesHalfPrecisionArraysAsF16() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("half.safetensors");
    NDArray half = manager.create(new float[] {0.5f, -1.25f, 3f}).toType(DataType.FLOAT16, false);
    SafeTensors.writeArrays(file, Map.of("h", half), Map.of(), TensorDType.F16);
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      assertEquals(TensorDType.F16, reader.info("h").dtype());
      assertArrayEquals(new float[] {0.5f, -1.25f, 3f}, reader.readFloats("h"), 0f);
    }
  }

  @Test
  public void loadIntoCopiesIntoTheNetworksOwnArrays() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("unet.safetensors");
    SafeTensors.writeArrays(file, parameters(5f));

    Map<String, NDArray> network = parameters(0f);
    NDArray weight = network.get("conv_in.weight");
    weight.setRequiresGradient(true);
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      reader.loadInto(network);
    }
    assertTrue("updated in place", weight == network.get("conv_in.weight"));
    assertTrue(weight.hasGradient());
    assertEquals(parameters(5f).get("conv_in.weight"), weight);
    assertArrayEquals(new float[] {5f, -5f}, network.get("conv_in.bias").toFloatArray(), 0f);
  }

  @Test
  public void loadIntoRefusesAMismatchBeforeTouchingAnything() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("unet.safetensors");
    SafeTensors.writeArrays(file, parameters(5f));

    Map<String, NDArray> network = parameters(0f);
    network.put("conv_in.bias", manager.zeros(new Shape(3)));
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      SafeTensorsException e =
          assertThrows(SafeTensorsException.class, () -> reader.loadInto(network));
      assertTrue(e.getMessage(), e.getMessage().contains("conv_in.bias: file [2], expected [3]"));
    }
    assertEquals(parameters(0f).get("conv_in.weight"), network.get("conv_in.weight"));
  }
}
