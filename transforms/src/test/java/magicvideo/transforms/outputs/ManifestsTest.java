package magicvideo.transforms.outputs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ManifestsTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void readsEveryFileSortedByIdTheLastLineOfAnIdWinning() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntries.writeManifest(out, "r1-00000-of-00002.jsonl",
        List.of(ManifestEntries.video("b", 10), ManifestEntries.video("c", 10)));
    ManifestEntries.writeManifest(out, "r1-00001-of-00002.jsonl", List.of());
    ManifestEntries.writeManifest(out, "r2-00000-of-00001.jsonl",
        List.of(ManifestEntries.video("a", 10), ManifestEntries.video("c", 20)));

    List<ManifestEntry> entries = Manifests.read(OutputLayout.at(out.toString()));

    assertEquals(List.of("a", "b", "c"), entries.stream().map(ManifestEntry::getId).toList());
    assertEquals(20, entries.get(2).getBytes());
  }

  @Test
  public void anEmptyFolderHasNoEntries() throws IOException {
    assertEquals(List.of(), Manifests.read(OutputLayout.at(folder.getRoot().toString())));
  }

  @Test
  public void aBrokenLineNamesItsFileAndLine() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntries.writeManifest(
        out, "r1-00000-of-00001.jsonl", List.of(ManifestEntries.video("a", 1)));
    Files.writeString(out.resolve("manifest/r1-00000-of-00001.jsonl"), "{\"id\":\"x\"}\n",
        StandardOpenOption.APPEND);

    IOException e = assertThrows(IOException.class,
        () -> Manifests.read(OutputLayout.at(out.toString())));

    assertThat(e.getMessage(), containsString("r1-00000-of-00001.jsonl line 2"));
  }
}
