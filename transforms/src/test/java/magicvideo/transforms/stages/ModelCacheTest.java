package magicvideo.transforms.stages;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import magicvideo.models.generate.RandomModels;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.Sha256;
import magicvideo.transforms.gcs.FakeGcsServer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** Models on gs:// (the fake Cloud Storage) copied to a local, verified cache. */
public class ModelCacheTest {
  @ClassRule public static final TemporaryFolder MODEL = new TemporaryFolder();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** Beam retries failed GCS calls with backoff for minutes: fail instead. */
  @Rule public final Timeout timeout = Timeout.seconds(60);

  private static Path model;
  private FakeGcsServer gcs;
  private Path cacheRoot;

  @BeforeClass
  public static void writeModel() throws IOException {
    model = RandomModels.writeTiny(MODEL.getRoot().toPath().resolve("tiny"), 3).root();
  }

  @Before
  public void startFake() throws IOException {
    gcs = FakeGcsServer.start();
    FileSystems.setDefaultPipelineOptions(gcs.pipelineOptions());
    // a folder inside the test's own, so that a file written next to the cache shows too
    cacheRoot = folder.getRoot().toPath().resolve("cache");
    System.setProperty(ModelCache.ROOT_PROPERTY, cacheRoot.toString());
  }

  @After
  public void stopFake() {
    System.clearProperty(ModelCache.ROOT_PROPERTY);
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    gcs.close();
  }

  @Test
  public void aRemoteModelIsCopiedOnceIntoAFolderNamedByItsFingerprint() throws IOException {
    upload("m1", modelJson());

    ModelDirectory opened = ModelCache.open("gs://bucket/m1");

    assertEquals(cacheRoot.resolve(opened.fingerprint()), opened.root());
    assertEquals(Sha256.of(modelJson()), opened.fingerprint());
    assertSame(opened, ModelCache.open("gs://bucket/m1/"));
    assertEquals("the weights are read once", 1, reads("m1/vae.safetensors"));
    assertThat(gcs.unhandledCalls(), empty());
  }

  @Test
  public void aModelReplacedAtTheSamePathIsCopiedAgain() throws IOException {
    upload("m2", modelJson());
    ModelDirectory before = ModelCache.open("gs://bucket/m2");
    String json = new String(modelJson(), StandardCharsets.UTF_8);
    String version = "\"version\" : \"" + RandomModels.tinyFingerprint() + "\"";
    assertTrue("model.json states its version", json.contains(version));
    byte[] retitled = json.replace(version, "\"version\" : \"0.2.0\"").getBytes(StandardCharsets.UTF_8);
    upload("m2", retitled);

    ModelDirectory after = ModelCache.open("gs://bucket/m2");

    assertEquals("0.2.0", after.manifest().version());
    assertNotEquals(before.root(), after.root());
    assertEquals(2, reads("m2/vae.safetensors"));
  }

  @Test
  public void aListedFileOutsideTheModelIsRefusedAndNothingIsLeft() throws IOException {
    byte[] escaping =
        new String(modelJson(), StandardCharsets.UTF_8)
            .replace("\"vae.safetensors\"", "\"../../vae.safetensors\"")
            .getBytes(StandardCharsets.UTF_8);
    upload("m3", escaping);

    IOException e = assertThrows(IOException.class, () -> ModelCache.open("gs://bucket/m3"));

    assertThat(e.getMessage(), containsString("'../../vae.safetensors', outside its directory"));
    assertThat(filesUnder(folder.getRoot().toPath()), empty());
  }

  @Test
  public void aMissingWeightsFileIsNamedAndLeavesNoPartialCopy() throws IOException {
    upload("m4", modelJson());
    FileSystems.delete(
        List.of(FileSystems.matchNewResource("gs://bucket/m4/keyframe_unet.safetensors", false)));

    IOException e = assertThrows(IOException.class, () -> ModelCache.open("gs://bucket/m4"));

    assertThat(e.getMessage(), containsString("but there is no gs://bucket/m4/keyframe_unet"));
    assertThat(filesUnder(folder.getRoot().toPath()), empty());
  }

  private static byte[] modelJson() throws IOException {
    return Files.readAllBytes(model.resolve(ModelDirectory.MANIFEST_FILE));
  }

  /** The tiny model's files under {@code gs://bucket/NAME/}, with {@code json} as model.json. */
  private void upload(String name, byte[] json) throws IOException {
    try (Stream<Path> files = Files.list(model)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        gcs.putObject("bucket", name + "/" + file.getFileName(), Files.readAllBytes(file), null);
      }
    }
    gcs.putObject("bucket", name + "/" + ModelDirectory.MANIFEST_FILE, json, null);
  }

  /** How often the object's bytes were downloaded. */
  private long reads(String name) {
    return gcs.calls().stream()
        .filter(c -> c.contains(" GET /download/storage/v1/b/bucket/o/" + name + " {alt=media"))
        .count();
  }

  /** Regular files under {@code folder}, e.g. a partial copy or one written outside the cache. */
  private static List<Path> filesUnder(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      return paths.filter(Files::isRegularFile).toList();
    }
  }
}
