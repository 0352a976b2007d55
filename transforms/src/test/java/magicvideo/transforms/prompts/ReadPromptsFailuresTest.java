package magicvideo.transforms.prompts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every kind of bad row lands in the failures, with its line, and none is lost. */
public class ReadPromptsFailuresTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private PCollectionTuple read(File file, int maxPromptChars, int maxLineBytes) {
    return pipeline.apply(
        ReadPrompts.from(file.getAbsolutePath())
            .withMaxPromptChars(maxPromptChars)
            .withMaxLineBytes(maxLineBytes));
  }

  /** Failures as "fileName:line:kind", the parts a user needs to find and classify the row. */
  private static PCollection<String> located(PCollection<PromptFailure> failures) {
    return failures.apply(
        "Locate",
        MapElements.into(TypeDescriptors.strings())
            .via(f -> new File(f.getSource()).getName() + ":" + f.getLine() + ":" + f.getKind()));
  }

  private static PCollection<String> ids(PCollection<PromptRequest> requests) {
    return requests.apply(
        "Ids", MapElements.into(TypeDescriptors.strings()).via(PromptRequest::getId));
  }

  @Test
  public void everyBadJsonlRowIsAFailureAndRowsBalance() throws IOException {
    String[] lines = {
      "{\"id\":\"ok1\",\"prompt\":\"a cat\"}",
      "",
      "{\"prompt\": \"unclosed\"",
      "[\"a list\"]",
      "{\"prompt\":\"c\",\"seed\":\"x\"}",
      "{\"prompt\":\"   \"}",
      "{\"text\":\"no prompt field\"}",
      "{\"prompt\":\"" + "long ".repeat(10) + "\"}",
      "{\"prompt\":\"c\",\"steps\":0}",
      "{\"prompt\":\"c\",\"steps\":1,\"num_inference_steps\":2}",
      "INVALID_UTF8",
      "{\"prompt\":\"" + "x".repeat(300) + "\"}",
      "{\"id\":\"ok1\",\"prompt\":\"same id again\"}",
      "{\"id\":\"ok2\",\"prompt\":\"a dog\"}",
      "   ",
    };
    String text = String.join("\n", lines) + "\n";
    byte[] bytes =
        PromptFiles.withRawBytes(
            text.substring(0, text.indexOf("INVALID_UTF8")) + "{\"prompt\":\"",
            new byte[] {(byte) 0xFF},
            "\"}" + text.substring(text.indexOf("INVALID_UTF8") + "INVALID_UTF8".length()));
    File file = PromptFiles.write(folder.getRoot(), "mixed.jsonl", bytes);

    PCollectionTuple prompts = read(file, 20, 200);
    PCollection<PromptFailure> failures = prompts.get(ReadPrompts.FAILURES);
    PAssert.that(ids(prompts.get(ReadPrompts.REQUESTS))).containsInAnyOrder("ok1", "ok2");
    PAssert.that(located(failures))
        .containsInAnyOrder(
            "mixed.jsonl:3:malformed_json",
            "mixed.jsonl:4:not_an_object",
            "mixed.jsonl:5:wrong_type",
            "mixed.jsonl:6:empty_prompt",
            "mixed.jsonl:7:missing_prompt",
            "mixed.jsonl:8:prompt_too_long",
            "mixed.jsonl:9:out_of_range",
            "mixed.jsonl:10:conflicting_fields",
            "mixed.jsonl:11:invalid_utf8",
            "mixed.jsonl:12:line_too_long",
            "mixed.jsonl:13:duplicate_id",
            "mixed.jsonl:15:not_an_object");
    PAssert.that(failures)
        .satisfies(
            all -> {
              Map<Long, PromptFailure> byLine = new HashMap<>();
              all.forEach(f -> byLine.put(f.getLine(), f));
              assertEquals("{\"prompt\": \"unclosed\"", byLine.get(3L).getRawRow());
              assertThat(byLine.get(5L).getReason(), containsString("\"seed\" must be an integer"));
              assertEquals("validate", byLine.get(5L).getStage());
              assertThat(byLine.get(11L).getReason(), containsString("0xFF"));
              assertEquals("{\"prompt\":\"\uFFFD\"}", byLine.get(11L).getRawRow());
              assertEquals("ok1", byLine.get(13L).getId());
              return null;
            });

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    Map<String, Long> counters = counters(result);
    long nonEmptyLines = Arrays.stream(lines).filter(l -> !l.isEmpty()).count();
    long failed =
        counters.entrySet().stream()
            .filter(e -> e.getKey().startsWith(PromptMetrics.FAILED_PREFIX))
            .mapToLong(Map.Entry::getValue)
            .sum();
    assertEquals(nonEmptyLines, (long) counters.get(PromptMetrics.ROWS_READ));
    assertEquals(2L, (long) counters.get(PromptMetrics.ROWS_ACCEPTED));
    assertEquals(nonEmptyLines - 2, failed);
    assertEquals(2L, (long) counters.get(PromptMetrics.FAILED_PREFIX + "not_an_object"));
  }

  @Test
  public void badCsvRowsFailOneByOneAndABadHeaderFailsItsFile() throws IOException {
    File set = folder.newFolder("set");
    PromptFiles.write(
        set,
        "rows.csv",
        "prompt,seed\n\"a cat, sitting\",1\na dog,1,extra\n\"unclosed,2\nb\"ad quote,3\n");
    PromptFiles.write(set, "header.tsv", "text\tseed\na\t1\n\nb\t2\n");
    PCollectionTuple prompts = pipeline.apply(ReadPrompts.from(set.getAbsolutePath() + "/*"));
    PAssert.that(prompts.get(ReadPrompts.REQUESTS).apply(Count.globally())).containsInAnyOrder(2L);
    PAssert.that(located(prompts.get(ReadPrompts.FAILURES)))
        .containsInAnyOrder(
            "rows.csv:3:wrong_column_count",
            "rows.csv:4:broken_quoting",
            "header.tsv:1:bad_header",
            "header.tsv:2:bad_header",
            "header.tsv:4:bad_header");
    pipeline.run();
  }

  @Test
  public void unusableFilesAreOneFailureEachAfterTheLinesTheyGave() throws IOException {
    File set = folder.newFolder("set");
    PromptFiles.write(set, "notes.md", "# not prompts\n");
    // Lines of random hex barely compress, so the first half of the .gz holds several whole
    // lines; they are too long to be rows, which keeps the test free of a big shuffle.
    StringBuilder longLines = new StringBuilder();
    Random random = new Random(1);
    for (int line = 0; line < 20; line++) {
      for (int i = 0; i < 1000; i++) {
        longLines.append(Long.toHexString(random.nextLong()));
      }
      longLines.append('\n');
    }
    File cut = PromptFiles.writeGzip(set, "cut.jsonl.gz", longLines.toString());
    byte[] gz = Files.readAllBytes(cut.toPath());
    Files.write(cut.toPath(), Arrays.copyOf(gz, gz.length / 2));

    PCollectionTuple prompts =
        pipeline.apply(ReadPrompts.from(set.getAbsolutePath() + "/*").withMaxLineBytes(1000));
    PAssert.that(prompts.get(ReadPrompts.FAILURES))
        .satisfies(
            all -> {
              Map<String, List<PromptFailure>> byKind = new HashMap<>();
              all.forEach(f -> byKind.computeIfAbsent(f.getKind(), k -> new ArrayList<>()).add(f));
              assertEquals(
                  Set.of("unsupported_format", "line_too_long", "unreadable_file"),
                  byKind.keySet());
              PromptFailure format = byKind.get("unsupported_format").get(0);
              assertEquals(0, format.getLine());
              assertThat(format.getReason(), containsString("notes.md"));
              int linesRead = byKind.get("line_too_long").size();
              assertThat(linesRead, greaterThan(1));
              PromptFailure broken = byKind.get("unreadable_file").get(0);
              assertThat(broken.getSource(), endsWith("cut.jsonl.gz"));
              assertEquals(linesRead + 1, broken.getLine());
              assertThat(
                  broken.getReason(), startsWith("reading stopped after line " + linesRead + ","));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void theLowestFileAndLineKeepsADuplicateId() throws IOException {
    File set = folder.newFolder("set");
    PromptFiles.write(
        set, "b.jsonl", "{\"id\":\"x\",\"prompt\":\"b1\"}\n{\"id\":\"x\",\"prompt\":\"b2\"}\n");
    PromptFiles.write(
        set, "a.jsonl", "{\"id\":\"z\",\"prompt\":\"a1\"}\n{\"id\":\"x\",\"prompt\":\"a2\"}\n");
    PCollectionTuple prompts = pipeline.apply(ReadPrompts.from(set.getAbsolutePath() + "/*.jsonl"));
    PAssert.that(
            prompts
                .get(ReadPrompts.REQUESTS)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(r -> r.getId() + ":" + r.getPrompt())))
        .containsInAnyOrder("x:a2", "z:a1");
    PAssert.that(prompts.get(ReadPrompts.FAILURES))
        .satisfies(
            all -> {
              assertEquals(2, StreamSupport.stream(all.spliterator(), false).count());
              for (PromptFailure f : all) {
                assertThat(f.getSource(), containsString("b.jsonl"));
                assertEquals("duplicate_id", f.getKind());
                assertThat(f.getReason(), containsString("a.jsonl line 2"));
              }
              return null;
            });
    pipeline.run();
  }

  private static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> counters = new HashMap<>();
    MetricsFilter filter =
        MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.inNamespace(PromptMetrics.NAMESPACE))
            .build();
    for (MetricResult<Long> counter : result.metrics().queryMetrics(filter).getCounters()) {
      counters.merge(counter.getName().getName(), counter.getAttempted(), Long::sum);
    }
    return counters;
  }
}
