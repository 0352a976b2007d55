package magicvideo.transforms.prompts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import java.io.File;
import java.io.IOException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Each input format end to end, with ids, seeds and videos per prompt. */
public class ReadPromptsFormatsTest {
  private static final long RUN_SEED = 42;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** The requests as "id|prompt|negative|seed|line|video|extra", and asserts no failures. */
  private PCollection<String> requests(ReadPrompts read) {
    PCollectionTuple prompts = pipeline.apply(read.withRunSeed(RUN_SEED));
    PAssert.that(prompts.get(ReadPrompts.FAILURES)).empty();
    return prompts
        .get(ReadPrompts.REQUESTS)
        .apply(MapElements.into(TypeDescriptors.strings()).via(ReadPromptsFormatsTest::describe));
  }

  private static String describe(PromptRequest r) {
    return String.join(
        "|",
        r.getId(),
        r.getPrompt(),
        r.getNegativePrompt(),
        String.valueOf(r.getSeed()),
        String.valueOf(r.getLine()),
        String.valueOf(r.getVideoIndex()),
        r.getExtraJson());
  }

  private static String derivedSeed(String id) {
    return String.valueOf(PromptSeeds.derive(RUN_SEED, id));
  }

  private String path(File file) {
    return file.getAbsolutePath();
  }

  @Test
  public void textFilesGiveOnePromptPerLineAndSkipEmptyLines() throws IOException {
    File file = PromptFiles.write(folder.getRoot(), "p.txt", "a cat\n\n  a dog  \r\na cat\n");
    String dog = PromptIds.derive("p.txt", 3, "a dog");
    String secondCat = PromptIds.derive("p.txt", 4, "a cat");
    // 26a92de527460095 is PromptIds.derive("p.txt", 1, "a cat"): fixed across runs.
    PAssert.that(requests(ReadPrompts.from(path(file))))
        .containsInAnyOrder(
            "26a92de527460095|a cat||" + derivedSeed("26a92de527460095") + "|1|0|{}",
            dog + "|a dog||" + derivedSeed(dog) + "|3|0|{}",
            secondCat + "|a cat||" + derivedSeed(secondCat) + "|4|0|{}");
    pipeline.run();
  }

  @Test
  public void jsonlRowsKeepTheirFieldsAndExtrasAndLoseUnsafeIds() throws IOException {
    String content =
        "{\"id\":\"j1\",\"prompt\":\"a"
            + " cat\",\"negative_prompt\":\"blur\",\"seed\":7,\"score\":0.50}\n"
            + "{\"id\":\"../etc/passwd\",\"prompt\":\"a dog\"}\n";
    File file = PromptFiles.write(folder.getRoot(), "p.jsonl", content);
    String replaced = PromptIds.derive("p.jsonl", 2, "a dog");
    PAssert.that(requests(ReadPrompts.from(path(file))))
        .containsInAnyOrder(
            "j1|a cat|blur|7|1|0|{\"score\":0.50}",
            replaced
                + "|a dog||"
                + derivedSeed(replaced)
                + "|2|0|{\"original_id\":\"../etc/passwd\"}");
    pipeline.run();
  }

  @Test
  public void csvFollowsRfc4180QuotingWithBomAndCrlf() throws IOException {
    String content =
        "\ufeffid,prompt,negative_prompt,seed,style\r\n"
            + "c1,\"a cat, sitting\",\"blurry, \"\"low\"\" quality\",7,oil\r\n"
            + "c2,plain dog,,,\r\n";
    File file = PromptFiles.write(folder.getRoot(), "p.csv", content);
    PAssert.that(requests(ReadPrompts.from(path(file))))
        .containsInAnyOrder(
            "c1|a cat, sitting|blurry, \"low\" quality|7|2|0|{\"style\":\"oil\"}",
            "c2|plain dog||" + derivedSeed("c2") + "|3|0|{\"style\":\"\"}");
    pipeline.run();
  }

  @Test
  public void tsvSplitsOnTabsOnly() throws IOException {
    File file =
        PromptFiles.write(folder.getRoot(), "p.tsv", "prompt\tseed\tlang\na, b \"c\"\t3\ten\n");
    String id = PromptIds.derive("p.tsv", 2, "a, b \"c\"");
    PAssert.that(requests(ReadPrompts.from(path(file))))
        .containsInAnyOrder(id + "|a, b \"c\"||3|2|0|{\"lang\":\"en\"}");
    pipeline.run();
  }

  @Test
  public void gzipFilesAreReadByExtension() throws IOException {
    File file =
        PromptFiles.writeGzip(
            folder.getRoot(), "p.jsonl.gz", "{\"id\":\"g1\",\"prompt\":\"zipped\",\"seed\":1}\n");
    PAssert.that(requests(ReadPrompts.from(path(file)))).containsInAnyOrder("g1|zipped||1|1|0|{}");
    pipeline.run();
  }

  @Test
  public void aGlobReadsEveryMatchingFileInAnyFormat() throws IOException {
    File set = folder.newFolder("set");
    PromptFiles.write(set, "a.txt", "from txt\n");
    PromptFiles.write(set, "b.csv", "id,prompt\nb1,from csv\n");
    PromptFiles.writeGzip(
        set, "c.jsonl.gz", "{\"id\":\"c1\",\"prompt\":\"from jsonl\",\"seed\":3}\n");
    PromptFiles.write(folder.getRoot(), "outside.txt", "not matched\n");
    String txt = PromptIds.derive("a.txt", 1, "from txt");
    PAssert.that(requests(ReadPrompts.from(set.getAbsolutePath() + "/*")))
        .containsInAnyOrder(
            txt + "|from txt||" + derivedSeed(txt) + "|1|0|{}",
            "b1|from csv||" + derivedSeed("b1") + "|2|0|{}",
            "c1|from jsonl||3|1|0|{}");
    pipeline.run();
  }

  @Test
  public void severalVideosPerPromptGetSuffixedIdsAndConsecutiveSeeds() throws IOException {
    File file =
        PromptFiles.write(
            folder.getRoot(),
            "p.jsonl",
            "{\"id\":\"x\",\"prompt\":\"a cat\",\"seed\":10}\n"
                + "{\"id\":\"y\",\"prompt\":\"a dog\"}\n");
    long y = PromptSeeds.derive(RUN_SEED, "y");
    PAssert.that(requests(ReadPrompts.from(path(file)).withVideosPerPrompt(3)))
        .containsInAnyOrder(
            "x-0|a cat||10|1|0|{}",
            "x-1|a cat||11|1|1|{}",
            "x-2|a cat||12|1|2|{}",
            "y-0|a dog||" + y + "|2|0|{}",
            "y-1|a dog||" + (y + 1) + "|2|1|{}",
            "y-2|a dog||" + (y + 2) + "|2|2|{}");
    pipeline.run();
  }

  @Test
  public void aPatternMatchingNoFileFailsTheJob() {
    pipeline.apply(ReadPrompts.from(folder.getRoot().getAbsolutePath() + "/missing-*.jsonl"));
    Exception failed = assertThrows(Exception.class, () -> pipeline.run());
    assertThat(failed.getMessage(), containsString("No files matched spec"));
    assertThat(failed.getMessage(), containsString("missing-*.jsonl"));
  }

  @Test
  public void rejectsNonsenseSettingsAtConstruction() {
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> ReadPrompts.from("x").withVideosPerPrompt(0));
    assertThat(bad.getMessage(), containsString("videosPerPrompt must be at least 1, got 0"));
  }
}
