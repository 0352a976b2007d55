package magicvideo.transforms.outputs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import magicvideo.models.generate.Stage;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TensorOutputsTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void listsTensorEntriesAndTheirStageLeavingVideosOut() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntries.writeManifest(
        out,
        "r1-00000-of-00001.jsonl",
        List.of(
            ManifestEntries.tensors("a", "keyframes", "interpolate"),
            ManifestEntries.video("v", 10),
            ManifestEntries.tensors("b", "keyframes", "interpolate")));

    TensorOutputs tensors = TensorOutputs.scan(OutputLayout.at(out.toString()));

    assertEquals(Stage.INTERPOLATE, tensors.stage());
    assertEquals(List.of("a", "b"), tensors.entries().stream().map(ManifestEntry::getId).toList());
  }

  @Test
  public void refusesAFolderThatMixesStagesNamingEach() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntries.writeManifest(
        out, "r1-00000-of-00001.jsonl", List.of(ManifestEntries.tensors("a", "keyframes")));
    ManifestEntries.writeManifest(
        out,
        "r2-00000-of-00001.jsonl",
        List.of(ManifestEntries.tensors("b", "keyframes", "interpolate", "decode")));

    IOException e =
        assertThrows(IOException.class, () -> TensorOutputs.scan(OutputLayout.at(out.toString())));

    assertThat(e.getMessage(), containsString("keyframes (1 videos, e.g. a), decode (1 videos, e.g. b)"));
  }

  @Test
  public void refusesAFolderOfVideosOnly() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntries.writeManifest(
        out, "r1-00000-of-00001.jsonl", List.of(ManifestEntries.video("v", 10)));

    IOException e =
        assertThrows(IOException.class, () -> TensorOutputs.scan(OutputLayout.at(out.toString())));

    assertThat(e.getMessage(), containsString("holds no tensors"));
  }
}
