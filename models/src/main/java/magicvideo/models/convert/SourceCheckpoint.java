package magicvideo.models.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import magicvideo.models.io.SafeTensorsReader;
import magicvideo.models.io.TensorInfo;

/**
 * One weights file of the source checkpoint, seen under our parameter names. Only its header is
 * read when it is opened and checked, so every component of a multi-gigabyte checkpoint is
 * checked before any is converted; tensors are read later, into the NDManager of the component
 * being converted.
 */
final class SourceCheckpoint implements AutoCloseable {
  /** Problems listed per category before the rest are counted. */
  private static final int NAMES_PER_CATEGORY = 20;

  /** How a tensor of the file appears to our networks: its parameter name and shape there. */
  record View(String name, Shape shape) {}

  /** Maps a tensor of the file to its view; {@link #AS_IS} for files in our naming. */
  @FunctionalInterface
  interface Naming {
    View view(TensorInfo tensor);
  }

  static final Naming AS_IS = t -> new View(t.name(), new Shape(t.shape()));

  private final SafeTensorsReader reader;
  private final Map<String, TensorInfo> byView = new TreeMap<>();
  private final Map<String, Shape> viewShapes = new TreeMap<>();
  private final List<String> skipped = new ArrayList<>();

  private SourceCheckpoint(SafeTensorsReader reader) {
    this.reader = reader;
  }

  /**
   * Opens {@code file} and reads its header.
   *
   * @param buffers names of non-weight tensors to skip without reading (HF's I64 position_ids)
   */
  static SourceCheckpoint open(Path file, Set<String> buffers, Naming naming) throws IOException {
    SafeTensorsReader reader = SafeTensorsReader.open(file);
    SourceCheckpoint source = new SourceCheckpoint(reader);
    try {
      for (TensorInfo tensor : reader.tensors()) {
        if (buffers.contains(tensor.name())) {
          source.skipped.add(tensor.name());
          continue;
        }
        View view = naming.view(tensor);
        TensorInfo other = source.byView.put(view.name(), tensor);
        if (other != null) {
          throw new CheckpointException(file + ": tensors " + other.name() + " and "
              + tensor.name() + " both give the parameter " + view.name());
        }
        source.viewShapes.put(view.name(), view.shape());
      }
      return source;
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  Path file() {
    return reader.file();
  }

  /** Tensors that become parameters (every tensor of the file but the skipped buffers). */
  int size() {
    return byView.size();
  }

  /** Buffers that were present and skipped. */
  List<String> skipped() {
    return List.copyOf(skipped);
  }

  /**
   * Checks that the file holds exactly the parameters {@code expected}: every tensor is used,
   * none is missing, every shape fits. All problems are reported in one exception.
   *
   * @param network what the parameters belong to, for the message ("the U-Net of unet/config.json")
   */
  void check(Map<String, Shape> expected, String network) throws CheckpointException {
    List<String> unused = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    viewShapes.forEach((name, shape) -> {
      Shape wanted = expected.get(name);
      if (wanted == null) {
        unused.add(sourceName(name));
      } else if (!wanted.equals(shape)) {
        mismatched.add(sourceName(name) + " has shape " + shape + ", expected " + wanted);
      }
    });
    new TreeMap<>(expected).forEach((name, shape) -> {
      if (!viewShapes.containsKey(name)) {
        missing.add(name + " " + shape);
      }
    });
    if (unused.isEmpty() && missing.isEmpty() && mismatched.isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder(file() + " does not fit " + network + ":");
    append(report, "unused tensors", unused);
    append(report, "missing tensors", missing);
    append(report, "wrong shapes", mismatched);
    throw new CheckpointException(report.toString());
  }

  private String sourceName(String view) {
    String source = byView.get(view).name();
    return source.equals(view) ? source : source + " (as " + view + ")";
  }

  private static void append(StringBuilder report, String label, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    report.append("\n  ").append(names.size()).append(' ').append(label).append(": ");
    report.append(String.join(", ", names.subList(0, Math.min(names.size(), NAMES_PER_CATEGORY))));
    if (names.size() > NAMES_PER_CATEGORY) {
      report.append(", ... and ").append(names.size() - NAMES_PER_CATEGORY).append(" more");
    }
  }

  /** Every parameter as a float32 NDArray on {@code manager}, under our names and shapes. */
  Map<String, NDArray> read(NDManager manager) throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, TensorInfo> entry : byView.entrySet()) {
      float[] values = reader.readFloats(entry.getValue().name());
      out.put(entry.getKey(), manager.create(values, viewShapes.get(entry.getKey())));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
