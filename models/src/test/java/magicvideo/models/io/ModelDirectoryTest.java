package magicvideo.models.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ModelDirectoryTest {

  /** Stands in for a network's config record. */
  public record TinyVaeConfig(int latentChannels, List<Integer> blockOutChannels,
      double scalingFactor) {}

  /** Stands in for a tokenizer's config record. */
  public record TinyTokenizerConfig(int contextLength) {}

  private static final TinyVaeConfig VAE = new TinyVaeConfig(4, List.of(32, 64), 0.18215);

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private NDManager manager;
  private Path tokenizerJson;

  @Before
  public void setUp() throws IOException {
    manager = NDManager.newBaseManager();
    tokenizerJson = tmp.newFile("source-tokenizer.json").toPath();
    Files.writeString(tokenizerJson, "{\"stands\": \"for a tokenizer\"}");
  }

  @After
  public void tearDown() {
    manager.close();
  }

  private Map<String, NDArray> vaeParameters() {
    return Map.of(
        "decoder.conv_in.weight", manager.arange(0f, 24f, 1f).reshape(2, 3, 2, 2),
        "decoder.conv_in.bias", manager.create(new float[] {0.5f, -0.5f}));
  }

  private ModelDirectory writeModel(Path target) throws IOException {
    return ModelDirectory.builder("magicvideo-tiny", "0.1.0", "test model")
        .component("vae", VAE, vaeParameters())
        .component("keyframe_unet", Map.of("layers", 2),
            Map.of("conv_in.weight", manager.ones(new Shape(3))))
        .tokenizer(tokenizerJson, new TinyTokenizerConfig(77))
        .write(target);
  }

  @Test
  public void writtenModelOpensWithConfigsWeightsAndFingerprint() throws IOException {
    Path target = tmp.getRoot().toPath().resolve("model");
    ModelDirectory written = writeModel(target);
    ModelDirectory opened = ModelDirectory.open(target);

    assertEquals(written.manifest(), opened.manifest());
    assertEquals(List.of("keyframe_unet", "vae"),
        List.copyOf(opened.manifest().components().keySet()));
    assertEquals(VAE, opened.config("vae", TinyVaeConfig.class));
    assertEquals(new TinyTokenizerConfig(77), opened.tokenizerConfig(TinyTokenizerConfig.class));
    assertEquals(Sha256.of(target.resolve("model.json")), opened.fingerprint());
    assertEquals(written.fingerprint(), opened.fingerprint());
    assertEquals(Files.readString(tokenizerJson), Files.readString(opened.tokenizerFile()));

    ModelComponent vae = opened.manifest().component("vae");
    assertEquals("vae.safetensors", vae.file());
    assertEquals(Files.size(target.resolve("vae.safetensors")), vae.bytes());
    try (SafeTensorsReader weights = opened.openWeights("vae")) {
      assertEquals(Map.of("format", "pt"), weights.metadata());
      Map<String, NDArray> network = Map.of(
          "decoder.conv_in.weight", manager.zeros(new Shape(2, 3, 2, 2)),
          "decoder.conv_in.bias", manager.zeros(new Shape(2)));
      weights.loadInto(network);
      assertEquals(vaeParameters().get("decoder.conv_in.weight"),
          network.get("decoder.conv_in.weight"));
    }
    // No staging directory is left beside the model.
    try (var siblings = Files.list(tmp.getRoot().toPath())) {
      assertEquals(List.of("model", "source-tokenizer.json"),
          siblings.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  public void sameModelGivesTheSameFingerprint() throws IOException {
    ModelDirectory first = writeModel(tmp.getRoot().toPath().resolve("a"));
    ModelDirectory second = writeModel(tmp.getRoot().toPath().resolve("b"));
    assertEquals(first.fingerprint(), second.fingerprint());
    assertArrayEquals(Files.readAllBytes(first.root().resolve("model.json")),
        Files.readAllBytes(second.root().resolve("model.json")));
  }

  @Test
  public void tamperedWeightsAreRefusedNamingFileAndHashes() throws IOException {
    Path target = tmp.getRoot().toPath().resolve("model");
    ModelDirectory model = writeModel(target);
    Path weights = target.resolve("vae.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 1] ^= 1;
    Files.write(weights, bytes);

    IOException e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().contains(weights.toString()));
    assertTrue(e.getMessage(), e.getMessage().contains(
        "expected " + model.manifest().component("vae").sha256()));
    assertTrue(e.getMessage(), e.getMessage().contains("has sha256 " + Sha256.of(weights)));
  }

  @Test
  public void truncatedOrMissingFilesAreRefused() throws IOException {
    Path target = tmp.getRoot().toPath().resolve("model");
    writeModel(target);
    Path tokenizer = target.resolve("tokenizer.json");
    Files.writeString(tokenizer, "{}");
    IOException e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().contains("component 'tokenizer' file " + tokenizer
        + " has 2 bytes, expected " + Files.size(tokenizerJson)));

    Files.delete(tokenizer);
    e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().contains(tokenizer + " is missing"));
  }

  @Test
  public void filesOutsideTheDirectoryAreRefused() throws IOException {
    Path target = tmp.getRoot().toPath().resolve("model");
    writeModel(target);
    Path outside = tmp.getRoot().toPath().resolve("elsewhere.safetensors");
    Files.copy(target.resolve("vae.safetensors"), outside);

    rewriteManifest(target, "\"vae.safetensors\"", "\"../elsewhere.safetensors\"");
    IOException e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().contains(
        "component 'vae' file '../elsewhere.safetensors'"));
    assertTrue(e.getMessage(), e.getMessage().contains("lies outside the model directory"));

    rewriteManifest(target, "\"../elsewhere.safetensors\"", "\"" + outside + "\"");
    e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().contains("lies outside the model directory"));

    Files.delete(target.resolve("vae.safetensors"));
    Files.createSymbolicLink(target.resolve("vae.safetensors"), outside);
    rewriteManifest(target, "\"" + outside + "\"", "\"vae.safetensors\"");
    e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().contains("links to " + outside.toRealPath()));
  }

  @Test
  public void badManifestsAreRefusedNamingThePathAndProblem() throws IOException {
    Path target = tmp.getRoot().toPath().resolve("model");
    IOException e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().contains(target.resolve("model.json")
        + " does not exist"));

    writeModel(target);
    Path manifest = target.resolve("model.json");
    String valid = Files.readString(manifest);
    Files.writeString(manifest, valid.replace("\"version\" : \"0.1.0\",", ""));
    e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().startsWith(manifest + " is not a valid model"));
    assertTrue(e.getMessage(), e.getMessage().contains("'version'"));

    Files.writeString(manifest, valid.substring(0, valid.length() / 2));
    e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().startsWith(manifest + " is not a valid model"));
    assertTrue(e.getMessage(), e.getMessage().contains("line "));

    Files.writeString(manifest, valid.replaceFirst("\"sha256\" : \"[0-9a-f]+\"",
        "\"sha256\" : \"abc\""));
    e = assertThrows(IOException.class, () -> ModelDirectory.open(target));
    assertTrue(e.getMessage(), e.getMessage().contains("must be 64 lower-case hex digits"));
  }

  @Test
  public void configsThatDoNotFitTheRecordAreRefused() throws IOException {
    ModelDirectory model = writeModel(tmp.getRoot().toPath().resolve("model"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.config("keyframe_unet", TinyVaeConfig.class));
    assertTrue(e.getMessage(), e.getMessage().startsWith(
        "config of 'keyframe_unet' in model magicvideo-tiny 0.1.0 does not fit TinyVaeConfig"));
    e = assertThrows(IllegalArgumentException.class,
        () -> model.config("superres_unet", TinyVaeConfig.class));
    assertTrue(e.getMessage(), e.getMessage().contains("[keyframe_unet, vae]"));
  }

  @Test
  public void refusesToWriteOverAnExistingDirectory() throws IOException {
    Path target = tmp.newFolder("occupied").toPath();
    Files.writeString(target.resolve("notes.txt"), "mine");
    IOException e = assertThrows(IOException.class, () -> writeModel(target));
    assertTrue(e.getMessage(), e.getMessage().contains("not empty"));
    assertEquals(List.of("notes.txt"), Files.list(target).map(p -> p.getFileName().toString())
        .toList());
    assertFalse(Files.exists(target.resolve("model.json")));
  }

  private static void rewriteManifest(Path target, String from, String to) throws IOException {
    Path manifest = target.resolve("model.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    assertTrue(json.contains(from));
    Files.writeString(manifest, json.replace(from, to));
  }
}
