package magicvideo.transforms.outputs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import magicvideo.transforms.prompts.PromptFailure;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The manifest and failure writers put each run's lines in files of its own. */
public class WriteManifestTest {
  @Rule public final transient TestPipeline first = TestPipeline.create();
  @Rule public final transient TestPipeline second = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void eachRunWritesItsOwnManifestFilesAndKeepsEarlierOnes() throws IOException {
    Path out = folder.getRoot().toPath();
    OutputLayout layout = OutputLayout.at(out.toString());
    List<ManifestEntry> runOne =
        List.of(ManifestEntries.video("a", 1), ManifestEntries.video("b", 2));
    List<ManifestEntry> runTwo = List.of(ManifestEntries.video("c", 3));

    first.apply(Create.of(runOne)).apply(WriteManifest.to(layout, "run-1"));
    first.run().waitUntilFinish();
    second.apply(Create.of(runTwo)).apply(WriteManifest.to(layout, "run-2"));
    second.run().waitUntilFinish();

    Path manifest = out.resolve(OutputLayout.MANIFEST_DIR);
    for (Path file : files(manifest)) {
      assertThat(
          file.getFileName().toString(), matchesPattern("run-[12]-\\d{5}-of-\\d{5}\\.jsonl"));
    }
    assertEquals(Set.copyOf(runOne), entries(manifest, "run-1"));
    assertEquals(Set.copyOf(runTwo), entries(manifest, "run-2"));
  }

  @Test
  public void failuresAreWrittenAsTheirJsonLines() throws IOException {
    Path out = folder.getRoot().toPath();
    PromptFailure rejected =
        PromptFailure.builder()
            .setSource("/p/a.txt")
            .setLine(3)
            .setId(null)
            .setStage("validate")
            .setKind("empty_prompt")
            .setReason("the prompt is empty")
            .setRawRow("  ")
            .build();
    PromptFailure failedVideo =
        PromptFailure.builder()
            .setSource("/p/a.txt")
            .setLine(4)
            .setId("x")
            .setStage("keyframes")
            .setKind("nan_latents")
            .setReason("latents became NaN at step 3")
            .setRawRow(null)
            .build();

    first
        .apply(Create.of(rejected, failedVideo))
        .apply(WriteFailures.to(OutputLayout.at(out.toString()), "run-1"));
    first.run().waitUntilFinish();

    Set<String> lines = new HashSet<>();
    for (Path file : files(out.resolve(OutputLayout.FAILURES_DIR))) {
      assertThat(file.getFileName().toString(), matchesPattern("run-1-\\d{5}-of-\\d{5}\\.jsonl"));
      for (String line : Files.readAllLines(file)) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
    }
    assertEquals(Set.of(rejected.toJsonLine(), failedVideo.toJsonLine()), lines);
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> list = Files.list(folder)) {
      return list.filter(Files::isRegularFile).toList();
    }
  }

  private static Set<ManifestEntry> entries(Path manifest, String runId) throws IOException {
    List<ManifestEntry> entries = new ArrayList<>();
    for (Path file : files(manifest)) {
      if (file.getFileName().toString().startsWith(runId + "-")) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isEmpty()) {
            entries.add(ManifestEntry.fromJsonLine(line));
          }
        }
      }
    }
    Set<ManifestEntry> unique = new HashSet<>(entries);
    assertEquals("one line per entry", entries.size(), unique.size());
    return unique;
  }
}
