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
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import magicvideo.transforms.prompts.PromptRequest;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Resume: only ids listed with a present, full-size file count as complete. */
public class ExistingOutputsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void onlyIdsWithTheirFileAtTheListedSizeAreComplete() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntry complete = ManifestEntries.video("complete", 40);
    ManifestEntry missing = ManifestEntries.video("missing", 40);
    ManifestEntry shortFile = ManifestEntries.video("short", 40);
    ManifestEntries.writeFile(out, complete.getVideo(), 40);
    ManifestEntries.writeFile(out, shortFile.getVideo(), 39);
    ManifestEntries.writeManifest(
        out, "r1-00000-of-00001.jsonl", List.of(complete, missing, shortFile));

    ExistingOutputs existing = ExistingOutputs.scan(OutputLayout.at(out.toString()));

    assertEquals(Set.of("complete"), existing.completeIds());
    assertEquals(3, existing.listedLines());
    assertEquals(2, existing.staleLines());
  }

  @Test
  public void dropStaleLinesLeavesOneLinePerCompleteIdAcrossFiles() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntry a = ManifestEntries.video("a", 8);
    ManifestEntry gone = ManifestEntries.video("gone", 8);
    ManifestEntries.writeFile(out, a.getVideo(), 8);
    ManifestEntries.writeManifest(out, "r1-00000-of-00001.jsonl", List.of(a, gone));
    ManifestEntries.writeManifest(out, "r2-00000-of-00001.jsonl", List.of(a));
    OutputLayout layout = OutputLayout.at(out.toString());

    ExistingOutputs existing = ExistingOutputs.scan(layout);
    existing.dropStaleLines();

    Path manifest = out.resolve(OutputLayout.MANIFEST_DIR);
    assertEquals(
        List.of(a.toJsonLine()), Files.readAllLines(manifest.resolve("r1-00000-of-00001.jsonl")));
    assertEquals(List.of(), Files.readAllLines(manifest.resolve("r2-00000-of-00001.jsonl")));
    assertEquals(0, existing.staleLines());
    ExistingOutputs rescanned = ExistingOutputs.scan(layout);
    assertEquals(Set.of("a"), rescanned.completeIds());
    assertEquals(0, rescanned.staleLines());
    try (Stream<Path> files = Files.list(manifest)) {
      assertEquals("no temporary files left", 2, files.count());
    }
  }

  @Test
  public void aFolderWithoutManifestsHasNothingComplete() throws IOException {
    ExistingOutputs existing = ExistingOutputs.scan(OutputLayout.at(folder.getRoot().toString()));

    assertEquals(Set.of(), existing.completeIds());
    assertEquals(0, existing.listedLines());
  }

  @Test
  public void anUnreadableManifestLineStopsTheScanNamingFileAndLine() throws IOException {
    Path out = folder.getRoot().toPath();
    ManifestEntries.writeManifest(
        out, "r1-00000-of-00001.jsonl", List.of(ManifestEntries.video("a", 1)));
    Files.writeString(
        out.resolve("manifest/r1-00000-of-00001.jsonl"),
        "{\"id\":\"b\"}\n",
        StandardOpenOption.APPEND);

    IOException e =
        assertThrows(
            IOException.class, () -> ExistingOutputs.scan(OutputLayout.at(out.toString())));

    assertThat(e.getMessage(), containsString("r1-00000-of-00001.jsonl line 2"));
  }

  @Test
  public void selectPendingSkipsCompleteIdsAndCountsBoth() {
    PCollection<PromptRequest> pending =
        pipeline
            .apply(Create.of(request("a"), request("b"), request("c")))
            .apply(SelectPending.skipping(Set.of("b", "z")));
    PCollection<String> ids =
        pending.apply(MapElements.into(TypeDescriptors.strings()).via(PromptRequest::getId));
    PAssert.that(ids).containsInAnyOrder("a", "c");

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(2, counter(result, VideoMetrics.VIDEOS_PENDING));
    assertEquals(1, counter(result, VideoMetrics.VIDEOS_SKIPPED));
  }

  private static PromptRequest request(String id) {
    return PromptRequest.builder()
        .setId(id)
        .setPrompt("p " + id)
        .setSeed(1)
        .setSource("/p.txt")
        .setLine(1)
        .build();
  }

  private static long counter(PipelineResult result, String name) {
    Iterable<MetricResult<Long>> counters =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(VideoMetrics.NAMESPACE, name))
                    .build())
            .getCounters();
    return StreamSupport.stream(counters.spliterator(), false)
        .mapToLong(MetricResult::getAttempted)
        .sum();
  }
}
