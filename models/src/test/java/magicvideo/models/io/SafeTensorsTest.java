package magicvideo.models.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SafeTensorsTest {

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final Tensor WEIGHT =
      new Tensor("down_blocks.0.resnets.0.conv1.weight", new long[] {2, 1, 1, 3},
          new float[] {1.5f, -2f, 0.25f, 3e-5f, 1e4f, -0f});
  private static final Tensor BIAS =
      new Tensor("down_blocks.0.resnets.0.conv1.bias", new long[] {2}, new float[] {0.1f, -7f});
  private static final Tensor SCALAR = new Tensor("scale", new long[] {}, new float[] {0.18215f});
  private static final Tensor EMPTY = new Tensor("empty", new long[] {0, 4}, new float[0]);

  @Test
  public void f32RoundTripKeepsValuesShapesAndMetadata() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("unet.safetensors");
    SafeTensors.write(file, List.of(WEIGHT, BIAS, SCALAR, EMPTY),
        Map.of("format", "pt", "note", "tiny"), TensorDType.F32);

    Map<String, Tensor> read = SafeTensors.read(file);
    assertEquals(Map.of(WEIGHT.name(), WEIGHT, BIAS.name(), BIAS, SCALAR.name(), SCALAR,
        EMPTY.name(), EMPTY), read);
    // File order is the writer's: names sorted.
    assertEquals(List.of(BIAS.name(), WEIGHT.name(), EMPTY.name(), SCALAR.name()),
        List.copyOf(read.keySet()));
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      assertEquals(Map.of("format", "pt", "note", "tiny"), reader.metadata());
      assertEquals(TensorDType.F32, reader.info(WEIGHT.name()).dtype());
    }
  }

  @Test
  public void f16RoundTripRoundsToHalfPrecision() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("vae.safetensors");
    Tensor exact = new Tensor("exact", new long[] {4}, new float[] {1f, -0.5f, 2048f, 65504f});
    Tensor inexact = new Tensor("inexact", new long[] {2}, new float[] {0.1f, 1e5f});
    SafeTensors.write(file, List.of(exact, inexact), Map.of(), TensorDType.F16);

    assertEquals(8 + headerLength(file) + 6 * 2, Files.size(file));
    Map<String, Tensor> read = SafeTensors.read(file);
    assertEquals(exact, read.get("exact"));
    assertArrayEquals(new float[] {0.0999755859375f, Float.POSITIVE_INFINITY},
        read.get("inexact").data(), 0f);
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      assertEquals(TensorDType.F16, reader.info("exact").dtype());
    }
  }

  @Test
  public void rewritingGivesIdenticalBytesWhateverTheInputOrder() throws IOException {
    Path first = tmp.getRoot().toPath().resolve("first.safetensors");
    Path second = tmp.getRoot().toPath().resolve("second.safetensors");
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("z", "last");
    metadata.put("a", "first");
    SafeTensors.write(first, List.of(WEIGHT, SCALAR, BIAS), metadata, TensorDType.F32);
    SafeTensors.write(second, SafeTensors.read(first).values(), Map.of("a", "first", "z", "last"),
        TensorDType.F32);
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  /**
   * The byte layout the Python library produces for one F32 tensor "attn.0" of shape [1, 2, 3]
   * holding 0..5 (this is the vector of huggingface/safetensors' own test_serialization): length
   * 64 as u64 LE, compact JSON (64 bytes, already aligned), then the floats little-endian.
   */
  @Test
  public void writesThePythonLibraryLayout() throws IOException {
    String json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
    ByteBuffer expected = ByteBuffer.allocate(8 + 64 + 24).order(ByteOrder.LITTLE_ENDIAN);
    expected.putLong(64).put(json.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 6; i++) {
      expected.putFloat(i);
    }

    Path file = tmp.getRoot().toPath().resolve("attn.safetensors");
    SafeTensors.write(file, List.of(new Tensor("attn.0", new long[] {1, 2, 3},
        new float[] {0, 1, 2, 3, 4, 5})));
    assertArrayEquals(expected.array(), Files.readAllBytes(file));
  }

  /** Metadata comes first, and the header is padded with spaces to a multiple of 8 bytes. */
  @Test
  public void padsTheHeaderWithSpacesAndPutsMetadataFirst() throws IOException {
    String json = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"b\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}";
    int padded = (json.length() + 7) / 8 * 8;
    ByteBuffer expected = ByteBuffer.allocate(8 + padded + 2).order(ByteOrder.LITTLE_ENDIAN);
    expected.putLong(padded).put(json.getBytes(StandardCharsets.UTF_8));
    while (expected.position() < 8 + padded) {
      expected.put((byte) ' ');
    }
    expected.putShort((short) 0x3c00); // 1.0 in half precision

    Path file = tmp.getRoot().toPath().resolve("padded.safetensors");
    SafeTensors.write(file, List.of(new Tensor("b", new long[] {1}, new float[] {1f})),
        Map.of("format", "pt"), TensorDType.F16);
    assertTrue("the example must need padding", json.length() % 8 != 0);
    assertArrayEquals(expected.array(), Files.readAllBytes(file));
  }

  @Test
  public void readsAHandBuiltFileWithTensorsInAnyHeaderOrder() throws IOException {
    Path file = rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[2,10]},"
        + "\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}",
        ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN)
            .putShort((short) 0xc000).putFloat(0.5f).putFloat(-3f).array());
    Map<String, Tensor> read = SafeTensors.read(file);
    assertArrayEquals(new float[] {-2f}, read.get("h").data(), 0f);
    assertArrayEquals(new float[] {0.5f, -3f}, read.get("w").data(), 0f);
  }

  @Test
  public void refusesFilesShorterThanTheLengthField() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("short.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    assertFileProblem(file, "shorter than the 8-byte header length");
  }

  @Test
  public void refusesHeaderLengthsThatLie() throws IOException {
    assertFileProblem(rawFile(0, new byte[16]), "header length 0 is outside");
    assertFileProblem(rawFile(1000, "{}".getBytes(StandardCharsets.UTF_8)),
        "header length 1000 runs past the end of the file (10 bytes)");
    assertFileProblem(rawFile(200_000_000L, new byte[16]), "header length 200000000 is outside");
    assertFileProblem(rawFile(-1L, new byte[16]), "header length 18446744073709551615");
  }

  @Test
  public void refusesHeadersThatAreNotAJsonObject() throws IOException {
    assertFileProblem(rawFile("{\"a\": ", new byte[0]), "header is not valid JSON");
    assertFileProblem(rawFile("[1, 2]", new byte[0]), "header is not a JSON object");
    assertFileProblem(rawFile("{\"a\":{}} x", new byte[0]), "header is not valid JSON");
    assertFileProblem(
        rawFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
            + "\"t\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", new byte[4]),
        "Duplicate field 't'");
  }

  @Test
  public void refusesUnsupportedDtypesNamingTheTensor() throws IOException {
    for (String dtype : List.of("BF16", "I32", "f32")) {
      assertTensorProblem(
          rawFile("{\"emb\":{\"dtype\":\"" + dtype + "\",\"shape\":[2],\"data_offsets\":[0,4]}}",
              new byte[4]),
          "emb", "unsupported dtype " + dtype);
    }
  }

  @Test
  public void listsI64BuffersButRefusesToReadOrWriteThemAsWeights() throws IOException {
    Path file = rawFile(
        "{\"position_ids\":{\"dtype\":\"I64\",\"shape\":[1,2],\"data_offsets\":[0,16]},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}",
        ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(1)
            .putFloat(2.5f).array());
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      assertEquals(TensorDType.I64, reader.info("position_ids").dtype());
      assertArrayEquals(new long[] {1, 2}, reader.info("position_ids").shape());
      assertArrayEquals(new float[] {2.5f}, reader.readFloats("w"), 0f);
    }
    assertTensorProblem(file, "position_ids", "dtype I64 holds integers");
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(
        tmp.getRoot().toPath().resolve("ids.safetensors"), List.of(BIAS), Map.of(),
        TensorDType.I64));
  }

  @Test
  public void refusesBadShapesAndOffsets() throws IOException {
    assertTensorProblem(
        rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2,2],\"data_offsets\":[0,16]}}",
            new byte[16]), "x", "not a non-negative integer");
    assertTensorProblem(
        rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", new byte[8]),
        "x", "is not [begin, end] with begin <= end");
    assertTensorProblem(
        rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", new byte[8]),
        "x", "is not [begin, end]");
    assertTensorProblem(
        rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}", new byte[8]),
        "x", "data_offsets is missing");
    assertTensorProblem(
        rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
        "x", "span 8 bytes but shape [3] of F32 needs 12");
    assertTensorProblem(
        rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"crc\":1}}",
            new byte[8]), "x", "unknown field 'crc'");
  }

  @Test
  public void refusesOffsetsOutsideTheData() throws IOException {
    assertTensorProblem(
        rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[12]),
        "x", "data_offsets end 16 is outside the data buffer of 12 bytes");
  }

  @Test
  public void refusesATruncatedFile() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("cut.safetensors");
    SafeTensors.write(file, List.of(BIAS, WEIGHT));
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 3));
    assertTensorProblem(file, WEIGHT.name(), "is outside the data buffer");
  }

  @Test
  public void refusesGapsOverlapsAndUncoveredBytes() throws IOException {
    assertTensorProblem(
        rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]),
        "b", "leaving a gap of 4 bytes after tensor 'a'");
    assertTensorProblem(
        rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
        "b", "overlaps tensor 'a'");
    assertFileProblem(
        rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[9]),
        "5 trailing bytes after the last tensor 'a'");
  }

  @Test
  public void expectShapesReportsEveryProblemAtOnce() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("text_encoder.safetensors");
    SafeTensors.write(file, List.of(WEIGHT, BIAS, SCALAR));
    Map<String, long[]> expected = new LinkedHashMap<>();
    expected.put(WEIGHT.name(), new long[] {2, 1, 3, 1});
    expected.put(BIAS.name(), new long[] {2});
    expected.put("up_blocks.0.attentions.0.proj_in.weight", new long[] {4, 4});

    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      SafeTensorsException e =
          assertThrows(SafeTensorsException.class, () -> reader.expectShapes(expected));
      String message = e.getMessage();
      assertTrue(message, message.startsWith(file.toString()));
      assertTrue(message, message.contains(
          "1 missing: up_blocks.0.attentions.0.proj_in.weight [4, 4]"));
      assertTrue(message, message.contains("1 unexpected: scale"));
      assertTrue(message, message.contains("1 shape mismatch: " + WEIGHT.name()
          + ": file [2, 1, 1, 3], expected [2, 1, 3, 1]"));

      expected.remove("up_blocks.0.attentions.0.proj_in.weight");
      expected.put(WEIGHT.name(), WEIGHT.shape());
      expected.put(SCALAR.name(), new long[0]);
      reader.expectShapes(expected);
      assertThrows(SafeTensorsException.class, () -> reader.info("nope"));
    }
  }

  @Test
  public void refusesDuplicateNamesWithoutWriting() {
    Path file = tmp.getRoot().toPath().resolve("dup.safetensors");
    SafeTensorsException e = assertThrows(SafeTensorsException.class,
        () -> SafeTensors.write(file, List.of(BIAS, BIAS)));
    assertTrue(e.getMessage(), e.getMessage().contains("tensor '" + BIAS.name() + "'"));
    assertFalse(Files.exists(file));
  }

  private static long headerLength(Path file) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN)
        .getLong();
  }

  private Path rawFile(String headerJson, byte[] data) throws IOException {
    byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
    return rawFile(header.length, ByteBuffer.allocate(header.length + data.length)
        .put(header).put(data).array());
  }

  /** A file with an arbitrary length field followed by {@code rest}. */
  private Path rawFile(long headerLength, byte[] rest) throws IOException {
    Path file = tmp.newFile().toPath();
    Files.write(file, ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(headerLength).put(rest).array());
    return file;
  }

  private static void assertFileProblem(Path file, String problem) {
    SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
    assertTrue(e.getMessage(), e.getMessage().startsWith(file + ": "));
    assertTrue(e.getMessage(), e.getMessage().contains(problem));
    assertEquals(file, e.file());
  }

  private static void assertTensorProblem(Path file, String tensor, String problem) {
    SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
    assertTrue(e.getMessage(), e.getMessage().startsWith(file + ": tensor '" + tensor + "': "));
    assertTrue(e.getMessage(), e.getMessage().contains(problem));
    assertEquals(tensor, e.tensor().orElseThrow());
  }
}
