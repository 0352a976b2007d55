package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import magicvideo.models.generate.RandomModels;
import magicvideo.models.io.ModelDirectory;
import magicvideo.transforms.outputs.ModelRef;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ModelLocatorTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void describeGivesNameVersionAndTheModelDirectoryFingerprint() throws IOException {
    Path model = TinyModel.directory();

    ModelRef ref = ModelLocator.describe(model.toString());

    assertEquals(RandomModels.TINY_NAME, ref.name());
    assertEquals(RandomModels.tinyFingerprint(), ref.version());
    assertEquals(ModelDirectory.open(model).fingerprint(), ref.fingerprint());
  }

  @Test
  public void describeNamesTheDirectoryWithoutModelJson() {
    String empty = folder.getRoot().toString();

    IOException e = assertThrows(IOException.class, () -> ModelLocator.describe(empty));

    assertThat(e.getMessage(), containsString(empty + " has no model.json"));
  }

  @Test
  public void aDirectoryIsUsedAsGivenAndDemoIsFoundUnderTheHome() throws IOException {
    Path home = folder.newFolder("home").toPath();
    Path demo = home.resolve(ModelLocator.DEMO_DIR);
    Files.createDirectories(demo);
    Files.copy(TinyModel.directory().resolve("model.json"), demo.resolve("model.json"));
    String previous = System.getProperty(ModelLocator.HOME_PROPERTY);
    System.setProperty(ModelLocator.HOME_PROPERTY, home.toString());
    try {
      PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

      assertEquals("gs://bucket/model", ModelLocator.resolve("gs://bucket/model", log));
      assertEquals(demo.toString(), ModelLocator.resolve(ModelLocator.DEMO, log));
    } finally {
      restore(ModelLocator.HOME_PROPERTY, previous);
    }
  }

  @Test
  public void demoWithoutADemoModelFallsBackToTheLabelledTinyRandomModel() throws IOException {
    String previousHome = System.getProperty(ModelLocator.HOME_PROPERTY);
    String previousUser = System.getProperty("user.home");
    System.setProperty(ModelLocator.HOME_PROPERTY, folder.newFolder("project").toString());
    System.setProperty("user.home", folder.newFolder("user").toString());
    try {
      ByteArrayOutputStream log = new ByteArrayOutputStream();

      String model =
          ModelLocator.resolve(
              ModelLocator.DEMO, new PrintStream(log, true, StandardCharsets.UTF_8));

      assertThat(model, containsString(folder.getRoot().toString()));
      assertEquals(RandomModels.TINY_NAME, ModelLocator.describe(model).name());
      assertThat(log.toString(StandardCharsets.UTF_8), containsString("UNTRAINED"));
    } finally {
      restore(ModelLocator.HOME_PROPERTY, previousHome);
      restore("user.home", previousUser);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
