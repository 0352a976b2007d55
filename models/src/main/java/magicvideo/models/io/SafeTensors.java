package magicvideo.models.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads and writes the safetensors weight format (huggingface/safetensors): an 8-byte
 * little-endian header length N, N bytes of UTF-8 JSON mapping each tensor name to its dtype,
 * shape and {@code data_offsets}, optionally {@code "__metadata__"}, then the little-endian,
 * C-order tensor data. Plain data only: unlike a pickled checkpoint, nothing in the file can run
 * code.
 *
 * <p>Files are laid out as the Python library writes them: tensors ordered by name (byte order
 * of the UTF-8 names, the library's order within one dtype), compact JSON with
 * {@code __metadata__} first, and the header padded with spaces to a multiple of 8 bytes so the
 * data is aligned. The library leaves the order of metadata keys to a hash map; we sort them, so
 * writing the same tensors twice gives identical bytes.
 */
public final class SafeTensors {

  /** Bytes encoded per write; bounded so a large tensor is not doubled in memory. */
  private static final int CHUNK_FLOATS = 1 << 20;

  private SafeTensors() {}

  /** Every tensor of {@code file} on the heap as float32, in file order. */
  public static Map<String, Tensor> read(Path file) throws IOException {
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      return reader.readAll();
    }
  }

  /** Every tensor of {@code file} as a float32 NDArray owned by {@code manager}, in file order. */
  public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      return reader.readAll(manager);
    }
  }

  /** Writes heap tensors as F32 without metadata. */
  public static void write(Path file, Collection<Tensor> tensors) throws IOException {
    write(file, tensors, Map.of(), TensorDType.F32);
  }

  /**
   * Writes heap tensors atomically, storing values as {@code dtype} (F16 rounds to nearest even).
   * Empty {@code metadata} writes no {@code __metadata__} entry.
   */
  public static void write(
      Path file, Collection<Tensor> tensors, Map<String, String> metadata, TensorDType dtype)
      throws IOException {
    List<Pending> pending = new ArrayList<>();
    for (Tensor tensor : tensors) {
      pending.add(new Pending(tensor.name(), tensor.shape(), tensor::data));
    }
    writePending(file, pending, metadata, dtype);
  }

  /** Writes a network's parameters as F32 without metadata. */
  public static void writeArrays(Path file, Map<String, NDArray> arrays) throws IOException {
    writeArrays(file, arrays, Map.of(), TensorDType.F32);
  }

  /**
   * Writes NDArrays atomically; each array is copied to the heap only while it is written, so a
   * large network is never on the heap as a whole.
   */
  public static void writeArrays(
      Path file, Map<String, NDArray> arrays, Map<String, String> metadata, TensorDType dtype)
      throws IOException {
    List<Pending> pending = new ArrayList<>();
    arrays.forEach((name, array) -> pending.add(
        new Pending(name, array.getShape().getShape(), () -> toFloats(array))));
    writePending(file, pending, metadata, dtype);
  }

  private static float[] toFloats(NDArray array) {
    if (array.getDataType() == DataType.FLOAT32) {
      return array.toFloatArray();
    }
    try (NDArray floats = array.toType(DataType.FLOAT32, true)) {
      return floats.toFloatArray();
    }
  }

  /** A tensor waiting to be written; its values are fetched only when its turn comes. */
  private record Pending(String name, long[] shape, Supplier<float[]> values) {}

  /** The Python library's tensor order within one dtype: by the bytes of the UTF-8 name. */
  private static final Comparator<Pending> BY_UTF8_NAME =
      (a, b) -> Arrays.compareUnsigned(
          a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8));

  private static void writePending(
      Path file, List<Pending> tensors, Map<String, String> metadata, TensorDType dtype)
      throws IOException {
    requireWeightType(dtype);
    Set<String> names = new HashSet<>();
    for (Pending tensor : tensors) {
      if (tensor.name().equals(SafeTensorsHeader.METADATA_KEY) || !names.add(tensor.name())) {
        throw new SafeTensorsException(
            file, tensor.name(), "name is reserved or given twice; nothing was written");
      }
    }
    List<Pending> ordered = new ArrayList<>(tensors);
    ordered.sort(BY_UTF8_NAME);
    byte[] header = header(ordered, metadata, dtype);
    AtomicFiles.write(file, out -> {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(header.length).array());
      out.write(header);
      for (Pending tensor : ordered) {
        float[] values = tensor.values().get();
        if (values.length != Tensor.elementCount(tensor.name(), tensor.shape())) {
          throw new SafeTensorsException(file, tensor.name(), values.length
              + " values do not fill shape " + Arrays.toString(tensor.shape()));
        }
        writeValues(out, values, dtype);
      }
    });
  }

  /** Refuses element types that cannot hold weights (I64); see {@link TensorDType}. */
  static void requireWeightType(TensorDType dtype) {
    if (!dtype.holdsWeights()) {
      throw new IllegalArgumentException("weights are written as F32 or F16, not " + dtype);
    }
  }

  private static byte[] header(List<Pending> ordered, Map<String, String> metadata,
      TensorDType dtype) throws IOException {
    ObjectNode root = Json.STRICT.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(SafeTensorsHeader.METADATA_KEY);
      new TreeMap<>(metadata).forEach(meta::put);
    }
    long offset = 0;
    for (Pending tensor : ordered) {
      long end = offset + Tensor.elementCount(tensor.name(), tensor.shape()) * dtype.bytes();
      ObjectNode entry = root.putObject(tensor.name());
      entry.put("dtype", dtype.name());
      ArrayNode shape = entry.putArray("shape");
      Arrays.stream(tensor.shape()).forEach(shape::add);
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json = Json.STRICT.writeValueAsBytes(root);
    int padded = (json.length + 7) / 8 * 8;
    byte[] header = Arrays.copyOf(json, padded);
    Arrays.fill(header, json.length, padded, (byte) ' ');
    return header;
  }

  private static void writeValues(OutputStream out, float[] values, TensorDType dtype)
      throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(Math.min(values.length, CHUNK_FLOATS) * dtype.bytes())
        .order(ByteOrder.LITTLE_ENDIAN);
    for (int start = 0; start < values.length; start += CHUNK_FLOATS) {
      int end = Math.min(values.length, start + CHUNK_FLOATS);
      chunk.clear();
      switch (dtype) {
        case F32 -> {
          chunk.asFloatBuffer().put(values, start, end - start);
          chunk.position((end - start) * 4);
        }
        case F16 -> {
          for (int i = start; i < end; i++) {
            chunk.putShort(Float16.fromFloat(values[i]));
          }
        }
        default -> throw new AssertionError(dtype);
      }
      out.write(chunk.array(), 0, chunk.position());
    }
  }
}
