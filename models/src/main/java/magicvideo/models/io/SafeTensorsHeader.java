package magicvideo.models.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and fully validated header of a safetensors file. Validation follows the format's
 * reference implementation (huggingface/safetensors {@code read_metadata} and {@code validate}):
 * the tensors must tile the data buffer exactly, from offset 0 to the end of the file.
 */
record SafeTensorsHeader(
    long headerLength, Map<String, String> metadata, List<TensorInfo> tensors) {

  static final String METADATA_KEY = "__metadata__";

  /** The reference implementation's limit; a larger header is a corrupt length field. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");

  /** Byte offset of the data buffer in the file. */
  long dataStart() {
    return 8 + headerLength;
  }

  static SafeTensorsHeader read(Path file, FileChannel channel) throws IOException {
    long fileSize = channel.size();
    if (fileSize < 8) {
      throw new SafeTensorsException(
          file, "file is " + fileSize + " bytes, shorter than the 8-byte header length field");
    }
    ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthField, 0);
    long headerLength = lengthField.flip().getLong();
    // A u64 above Long.MAX_VALUE reads as negative: it is as impossible as any oversized length.
    if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
      throw new SafeTensorsException(
          file, "header length " + Long.toUnsignedString(headerLength)
              + " is outside 1.." + MAX_HEADER_BYTES + " bytes");
    }
    if (8 + headerLength > fileSize) {
      throw new SafeTensorsException(
          file, "header length " + headerLength + " runs past the end of the file ("
              + fileSize + " bytes)");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    readFully(channel, headerBytes, 8);
    JsonNode root = parseJson(file, headerBytes.flip());
    return validate(file, headerLength, fileSize - 8 - headerLength, root);
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position)
      throws IOException {
    while (into.hasRemaining()) {
      int n = channel.read(into, position + into.position());
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + (position + into.position()));
      }
    }
  }

  private static JsonNode parseJson(Path file, ByteBuffer bytes) throws SafeTensorsException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new SafeTensorsException(file, "header is not valid UTF-8");
    }
    JsonNode root;
    try {
      root = Json.STRICT.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SafeTensorsException(file, "header is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SafeTensorsException(file, "header is not a JSON object");
    }
    return root;
  }

  private static SafeTensorsHeader validate(
      Path file, long headerLength, long dataLength, JsonNode root) throws SafeTensorsException {
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorInfo> tensors = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals(METADATA_KEY)) {
        metadata.putAll(parseMetadata(file, field.getValue()));
      } else {
        tensors.add(parseTensor(file, field.getKey(), field.getValue(), dataLength));
      }
    }
    tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    checkContiguous(file, tensors, dataLength);
    return new SafeTensorsHeader(headerLength, metadata, List.copyOf(tensors));
  }

  private static Map<String, String> parseMetadata(Path file, JsonNode node)
      throws SafeTensorsException {
    if (!node.isObject()) {
      throw new SafeTensorsException(file, METADATA_KEY + " is not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw new SafeTensorsException(
            file, METADATA_KEY + " value of '" + entry.getKey() + "' is not a string");
      }
      metadata.put(entry.getKey(), entry.getValue().textValue());
    }
    return metadata;
  }

  private static TensorInfo parseTensor(Path file, String name, JsonNode node, long dataLength)
      throws SafeTensorsException {
    if (!node.isObject()) {
      throw new SafeTensorsException(file, name, "entry is not a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!TENSOR_FIELDS.contains(key)) {
        throw new SafeTensorsException(
            file, name, "unknown field '" + key + "' (expected " + TENSOR_FIELDS + ")");
      }
    }
    TensorDType dtype = parseDType(file, name, node.get("dtype"));
    long[] shape = nonNegativeLongs(file, name, "shape", node.get("shape"));
    long[] offsets = nonNegativeLongs(file, name, "data_offsets", node.get("data_offsets"));
    if (offsets.length != 2 || offsets[0] > offsets[1]) {
      throw new SafeTensorsException(file, name,
          "data_offsets " + node.get("data_offsets") + " is not [begin, end] with begin <= end");
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (end > dataLength) {
      throw new SafeTensorsException(
          file, name, "data_offsets end " + end + " is outside the data buffer of "
              + dataLength + " bytes");
    }
    long expectedBytes;
    try {
      expectedBytes = Math.multiplyExact(Tensor.elementCount(name, shape), dtype.bytes());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new SafeTensorsException(file, name, "shape " + node.get("shape") + " overflows");
    }
    if (end - begin != expectedBytes) {
      throw new SafeTensorsException(
          file, name, "data_offsets " + node.get("data_offsets") + " span " + (end - begin)
              + " bytes but shape " + node.get("shape") + " of " + dtype + " needs "
              + expectedBytes);
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  private static TensorDType parseDType(Path file, String name, JsonNode node)
      throws SafeTensorsException {
    if (node == null || !node.isTextual()) {
      throw new SafeTensorsException(file, name, "dtype is missing or not a string");
    }
    for (TensorDType dtype : TensorDType.values()) {
      if (dtype.name().equals(node.textValue())) {
        return dtype;
      }
    }
    throw new SafeTensorsException(
        file, name, "unsupported dtype " + node.textValue() + " (supported: F32, F16, and I64 "
            + "for buffers that are skipped; convert other types to F32 or F16 before loading)");
  }

  private static long[] nonNegativeLongs(Path file, String name, String field, JsonNode node)
      throws SafeTensorsException {
    if (node == null || !node.isArray()) {
      throw new SafeTensorsException(file, name, field + " is missing or not a JSON array");
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode value = node.get(i);
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
        throw new SafeTensorsException(
            file, name, field + " " + node + " has an entry that is not a non-negative integer");
      }
      values[i] = value.longValue();
    }
    return values;
  }

  /** The spec requires the tensors, in offset order, to cover the data buffer with no gap. */
  private static void checkContiguous(Path file, List<TensorInfo> tensors, long dataLength)
      throws SafeTensorsException {
    long expectedBegin = 0;
    String previous = null;
    for (TensorInfo tensor : tensors) {
      if (tensor.begin() > expectedBegin) {
        throw new SafeTensorsException(
            file, tensor.name(), "data starts at " + tensor.begin() + " leaving a gap of "
                + (tensor.begin() - expectedBegin) + " bytes after "
                + (previous == null ? "the start of the data buffer"
                    : "tensor '" + previous + "'"));
      }
      if (tensor.begin() < expectedBegin) {
        throw new SafeTensorsException(
            file, tensor.name(), "data [" + tensor.begin() + ", " + tensor.end()
                + ") overlaps tensor '" + previous + "' ending at " + expectedBegin);
      }
      expectedBegin = tensor.end();
      previous = tensor.name();
    }
    if (expectedBegin != dataLength) {
      throw new SafeTensorsException(
          file, "the data buffer has " + (dataLength - expectedBegin) + " trailing bytes after "
              + (previous == null ? "the header" : "the last tensor '" + previous + "'")
              + " that no tensor covers (truncated or padded file?)");
    }
  }
}
