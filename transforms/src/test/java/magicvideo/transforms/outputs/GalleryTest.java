package magicvideo.transforms.outputs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class GalleryTest {
  private static final Pattern LINK = Pattern.compile("(?:src|href|poster)=\"([^\"]*)\"");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void pageReferencesOnlyFilesThatExist() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntry full = ManifestEntries.video("full", 10);
    ManifestEntry noPreview = ManifestEntries.video("no-preview", 10);
    ManifestEntry lost = ManifestEntries.video("lost", 10);
    ManifestEntry tensors =
        ManifestEntries.video("latents", 10).toBuilder()
            .setVideo(null)
            .setPreview(null)
            .setTensors(OutputLayout.tensorsPath("00000", "latents"))
            .build();
    ManifestEntries.writeFile(out, full.getVideo(), 10);
    ManifestEntries.writeFile(out, full.getPreview(), 3);
    ManifestEntries.writeFile(out, noPreview.getVideo(), 10);
    ManifestEntries.writeFile(out, tensors.getTensors(), 10);
    ManifestEntries.writeManifest(out, "r1-00000-of-00001.jsonl", List.of(full, noPreview, lost));
    ManifestEntries.writeManifest(out, "r2-00000-of-00001.jsonl", List.of(tensors));
    Files.createDirectories(out.resolve("failures"));
    Files.writeString(out.resolve("failures/r1-00000-of-00001.jsonl"), "{}\n{}\n");

    Gallery.write(OutputLayout.at(out.toString()), null);

    String html = Files.readString(out.resolve("index.html"));
    Set<String> links = links(html);
    for (String link : links) {
      assertTrue("links a missing file: " + link, Files.isRegularFile(out.resolve(link)));
    }
    assertEquals(
        new TreeSet<>(
            List.of(
                full.getVideo(),
                full.getPreview(),
                noPreview.getVideo(),
                tensors.getTensors(),
                "manifest/r1-00000-of-00001.jsonl",
                "manifest/r2-00000-of-00001.jsonl",
                "failures/r1-00000-of-00001.jsonl")),
        links);
    assertThat(html, containsString("video missing: videos/00000/lost.mp4"));
    assertThat(html, containsString("4 videos; 2 failures"));
  }

  @Test
  public void promptsAreEscaped() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntry entry =
        ManifestEntries.video("x", 1).toBuilder()
            .setPrompt("<script>alert('hi')</script> & \"friends\"")
            .build();
    ManifestEntries.writeFile(out, entry.getVideo(), 1);
    ManifestEntries.writeManifest(out, "r-00000-of-00001.jsonl", List.of(entry));

    Gallery.write(OutputLayout.at(out.toString()), null);

    String html = Files.readString(out.resolve("index.html"));
    assertThat(html, not(containsString("<script>")));
    assertThat(
        html,
        containsString(
            "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; &quot;friends&quot;"));
  }

  @Test
  public void lastRunIsNamedWithItsRecordLinkedAndOnlyItsFailuresCounted() throws IOException {
    Path out = folder.getRoot().toPath();
    Files.createDirectories(out.resolve("failures"));
    Files.writeString(out.resolve("failures/r-6-00000-of-00001.jsonl"), "{}\n{}\n");
    Files.writeString(out.resolve("failures/r-7-00000-of-00001.jsonl"), "{}\n");
    RunRecord run =
        new RunRecord(
            "r-7",
            "DONE",
            Instant.EPOCH,
            Instant.EPOCH,
            Map.of(),
            ManifestEntries.MODEL,
            Map.of(),
            Map.of());
    run.writeTo(OutputLayout.at(out.toString()));

    Gallery.write(OutputLayout.at(out.toString()), run);

    String html = Files.readString(out.resolve("index.html"));
    assertThat(html, containsString("Last run r-7: DONE"));
    assertThat(html, containsString("model magicvideo-tiny-random 0.1.0 (abababababab)"));
    assertThat(
        html,
        containsString("0 videos; 1 failure (<a href=\"failures/r-7-00000-of-00001.jsonl\">"));
    for (String link : links(html)) {
      assertTrue("links a missing file: " + link, Files.isRegularFile(out.resolve(link)));
    }
  }

  private static Set<String> links(String html) {
    List<String> links = new ArrayList<>();
    Matcher matcher = LINK.matcher(html);
    while (matcher.find()) {
      links.add(matcher.group(1));
    }
    return new TreeSet<>(links);
  }
}
