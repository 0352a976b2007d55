package magicvideo.models.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An open safetensors file whose header has been validated. Tensor data is read on demand in
 * bounded chunks with positional reads, so a multi-gigabyte checkpoint never needs a byte array
 * of its own size; only the tensor being read is held as a {@code float[]}.
 */
public final class SafeTensorsReader implements AutoCloseable {

  /** Bytes read per positional read; a multiple of every element size. */
  private static final int CHUNK_BYTES = 8 << 20;

  /** How many names each category of a shape report lists before summarising. */
  private static final int NAMES_PER_CATEGORY = 20;

  private final Path file;
  private final FileChannel channel;
  private final SafeTensorsHeader header;
  private final Map<String, TensorInfo> byName = new LinkedHashMap<>();

  private SafeTensorsReader(Path file, FileChannel channel, SafeTensorsHeader header) {
    this.file = file;
    this.channel = channel;
    this.header = header;
    for (TensorInfo info : header.tensors()) {
      byName.put(info.name(), info);
    }
  }

  /** Opens {@code file} and validates its header; see {@link SafeTensorsException}. */
  public static SafeTensorsReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new SafeTensorsReader(file, channel, SafeTensorsHeader.read(file, channel));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public Path file() {
    return file;
  }

  /** The optional {@code __metadata__} string map (empty when the file has none). */
  public Map<String, String> metadata() {
    return Map.copyOf(header.metadata());
  }

  /** Every tensor's header entry, in the order of their data in the file. */
  public List<TensorInfo> tensors() {
    return header.tensors();
  }

  /** The header entry of {@code name}. */
  public TensorInfo info(String name) throws SafeTensorsException {
    TensorInfo info = byName.get(name);
    if (info == null) {
      throw new SafeTensorsException(file, name, "no such tensor in this file");
    }
    return info;
  }

  /** The tensor's values converted to float32, C order. */
  public float[] readFloats(String name) throws IOException {
    TensorInfo info = info(name);
    if (!info.dtype().holdsWeights()) {
      throw new SafeTensorsException(file, name, "dtype " + info.dtype()
          + " holds integers (a buffer such as position_ids), not weights: it is not read as"
          + " float32");
    }
    long elements = info.elementCount();
    if (elements > Integer.MAX_VALUE - 8) {
      throw new SafeTensorsException(
          file, name, elements + " elements do not fit one Java array");
    }
    float[] values = new float[(int) elements];
    ByteBuffer chunk =
        ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, info.byteLength()))
            .order(ByteOrder.LITTLE_ENDIAN);
    int filled = 0;
    long position = header.dataStart() + info.begin();
    long end = header.dataStart() + info.end();
    while (position < end) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
      while (chunk.hasRemaining()) {
        if (channel.read(chunk, position + chunk.position()) < 0) {
          throw new SafeTensorsException(file, name, "file ended inside the tensor's data");
        }
      }
      position += chunk.position();
      chunk.flip();
      filled += decode(info.dtype(), chunk, values, filled);
    }
    return values;
  }

  private static int decode(TensorDType dtype, ByteBuffer bytes, float[] into, int offset) {
    switch (dtype) {
      case F32 -> {
        int n = bytes.remaining() / 4;
        bytes.asFloatBuffer().get(into, offset, n);
        return n;
      }
      case F16 -> {
        int n = bytes.remaining() / 2;
        for (int i = 0; i < n; i++) {
          into[offset + i] = Float16.toFloat(bytes.getShort(2 * i));
        }
        return n;
      }
      default -> throw new AssertionError(dtype);
    }
  }

  public Tensor read(String name) throws IOException {
    return new Tensor(name, info(name).shape(), readFloats(name));
  }

  /** The tensor as a float32 NDArray owned by {@code manager}. */
  public NDArray read(String name, NDManager manager) throws IOException {
    return manager.create(readFloats(name), new Shape(info(name).shape()));
  }

  /** Every tensor on the heap, in file order. */
  public Map<String, Tensor> readAll() throws IOException {
    Map<String, Tensor> all = new LinkedHashMap<>();
    for (TensorInfo info : header.tensors()) {
      all.put(info.name(), read(info.name()));
    }
    return all;
  }

  /** Every tensor as a float32 NDArray owned by {@code manager}, in file order. */
  public Map<String, NDArray> readAll(NDManager manager) throws IOException {
    Map<String, NDArray> all = new LinkedHashMap<>();
    for (TensorInfo info : header.tensors()) {
      all.put(info.name(), read(info.name(), manager));
    }
    return all;
  }

  /**
   * Checks that the file holds exactly the tensors named in {@code expected}, with those shapes.
   * All problems are reported in one exception: missing tensors, unexpected tensors and shape
   * mismatches, so a wrong config or a renamed block shows up in one run.
   */
  public void expectShapes(Map<String, long[]> expected) throws SafeTensorsException {
    List<String> missing = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : new TreeMap<>(expected).entrySet()) {
      TensorInfo info = byName.get(entry.getKey());
      if (info == null) {
        missing.add(entry.getKey() + " " + Arrays.toString(entry.getValue()));
      } else if (!Arrays.equals(info.shape(), entry.getValue())) {
        mismatched.add(entry.getKey() + ": file " + Arrays.toString(info.shape())
            + ", expected " + Arrays.toString(entry.getValue()));
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : byName.keySet()) {
      if (!expected.containsKey(name)) {
        unexpected.add(name);
      }
    }
    if (missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder("tensors do not match the expected parameters:");
    appendCategory(report, "missing", missing);
    appendCategory(report, "unexpected", unexpected);
    appendCategory(report, "shape mismatch", mismatched);
    throw new SafeTensorsException(file, report.toString());
  }

  private static void appendCategory(StringBuilder report, String label, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    report.append("\n  ").append(names.size()).append(' ').append(label).append(": ");
    report.append(String.join(", ", names.subList(0, Math.min(names.size(), NAMES_PER_CATEGORY))));
    if (names.size() > NAMES_PER_CATEGORY) {
      report.append(", ... and ").append(names.size() - NAMES_PER_CATEGORY).append(" more");
    }
  }

  /**
   * Copies the file's tensors into a network's parameters, after {@link #expectShapes} on their
   * shapes. Each parameter keeps its own array, type and device, so references the network
   * holds stay valid.
   */
  public void loadInto(Map<String, NDArray> parameters) throws IOException {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    parameters.forEach((name, array) -> shapes.put(name, array.getShape().getShape()));
    expectShapes(shapes);
    for (Map.Entry<String, NDArray> parameter : parameters.entrySet()) {
      NDArray target = parameter.getValue();
      try (NDManager scratch = target.getManager().newSubManager()) {
        NDArray values = read(parameter.getKey(), scratch);
        values.toType(target.getDataType(), false).copyTo(target);
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
