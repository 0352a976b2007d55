package magicvideo.transforms.prompts;

import static java.util.Objects.requireNonNull;

import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads prompt files into {@link PromptRequest}s, one per video, with stable ids and seeds; every
 * row that cannot be used becomes a {@link PromptFailure} instead, and the job goes on.
 *
 * <pre>{@code
 * PCollectionTuple prompts = pipeline.apply("ReadPrompts",
 *     ReadPrompts.from("gs://bucket/prompts/*.jsonl.gz").withRunSeed(42).withVideosPerPrompt(2));
 * PCollection<PromptRequest> requests = prompts.get(ReadPrompts.REQUESTS);
 * PCollection<PromptFailure> failures = prompts.get(ReadPrompts.FAILURES);
 * }</pre>
 *
 * <p>Formats, by extension, each optionally compressed ({@code .gz}, {@code .bz2}, {@code .zst}...,
 * as Beam's {@code Compression.AUTO} detects): {@code .txt} one prompt per line; {@code .jsonl} one
 * object per line with {@code prompt} and optional {@code id}, {@code negative_prompt}, {@code
 * seed}, {@code num_inference_steps} (or {@code steps}), {@code guidance_scale} (or {@code
 * guidance}), {@code fps}, other fields kept as extras; {@code .csv}/{@code .tsv} with a header row
 * naming the same columns. Text must be UTF-8. Empty lines are skipped. Ids and seeds: {@link
 * PromptIds}, {@link PromptSeeds}. Counters: {@link PromptMetrics}.
 *
 * <p>A pattern that matches no file fails the job at once: an empty run is almost always a typo in
 * the pattern, and silently writing nothing would hide it.
 */
public final class ReadPrompts extends PTransform<PBegin, PCollectionTuple> {
  /** The requests: one per valid row and video, ids unique across all files. */
  public static final TupleTag<PromptRequest> REQUESTS = new TupleTag<PromptRequest>("requests") {};

  /** The rejected rows, each with its file, line and reason. */
  public static final TupleTag<PromptFailure> FAILURES = new TupleTag<PromptFailure>("failures") {};

  /**
   * About 500 CLIP tokens of English: far past the 77-token context, short of a pasted document.
   */
  public static final int DEFAULT_MAX_PROMPT_CHARS = 2000;

  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

  private final String filePattern;
  private final long runSeed;
  private final int videosPerPrompt;
  private final int maxPromptChars;
  private final int maxLineBytes;

  private ReadPrompts(
      String filePattern, long runSeed, int videosPerPrompt, int maxPromptChars, int maxLineBytes) {
    this.filePattern = filePattern;
    this.runSeed = runSeed;
    this.videosPerPrompt = videosPerPrompt;
    this.maxPromptChars = maxPromptChars;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Reads the files matching {@code filePattern} (a glob on any Beam filesystem, e.g. {@code
   * /data/prompts/*.csv} or {@code gs://bucket/p/**}), with run seed 0, one video per prompt and
   * the default bounds.
   */
  public static ReadPrompts from(String filePattern) {
    requireNonNull(filePattern, "filePattern");
    return new ReadPrompts(filePattern, 0, 1, DEFAULT_MAX_PROMPT_CHARS, DEFAULT_MAX_LINE_BYTES);
  }

  /** The seed that derives the seeds of rows that give none; see {@link PromptSeeds#derive}. */
  public ReadPrompts withRunSeed(long runSeed) {
    return new ReadPrompts(filePattern, runSeed, videosPerPrompt, maxPromptChars, maxLineBytes);
  }

  /** Videos per row, ids {@code <id>-0 .. <id>-(n-1)} when n > 1 and seeds base + k. */
  public ReadPrompts withVideosPerPrompt(int videosPerPrompt) {
    checkPositive("videosPerPrompt", videosPerPrompt);
    return new ReadPrompts(filePattern, runSeed, videosPerPrompt, maxPromptChars, maxLineBytes);
  }

  /** Longest prompt (and negative prompt) accepted, in Unicode code points. */
  public ReadPrompts withMaxPromptChars(int maxPromptChars) {
    checkPositive("maxPromptChars", maxPromptChars);
    return new ReadPrompts(filePattern, runSeed, videosPerPrompt, maxPromptChars, maxLineBytes);
  }

  /** Longest line read, in bytes (after decompression); longer lines are rejected unread. */
  public ReadPrompts withMaxLineBytes(int maxLineBytes) {
    checkPositive("maxLineBytes", maxLineBytes);
    return new ReadPrompts(filePattern, runSeed, videosPerPrompt, maxPromptChars, maxLineBytes);
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    PCollectionTuple parsed =
        input
            .apply(
                "MatchFiles",
                FileIO.match()
                    .filepattern(filePattern)
                    .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("OpenFiles", FileIO.readMatches())
            .apply(
                "ParseRows",
                ParDo.of(
                        new ParsePromptFileFn(
                            new RowValidator(runSeed, maxPromptChars), maxLineBytes))
                    .withOutputTags(ParsePromptFileFn.ROWS, TupleTagList.of(FAILURES)));
    PCollectionTuple unique =
        parsed.get(ParsePromptFileFn.ROWS).apply("DropDuplicateIds", new DropDuplicateIds());
    PCollection<PromptRequest> requests =
        unique
            .get(DropDuplicateIds.UNIQUE)
            .apply("ExpandVideosPerPrompt", ParDo.of(new ExpandVideosFn(videosPerPrompt)));
    PCollection<PromptFailure> failures =
        PCollectionList.of(parsed.get(FAILURES))
            .and(unique.get(FAILURES))
            .apply("CollectFailures", Flatten.pCollections());
    return PCollectionTuple.of(REQUESTS, requests).and(FAILURES, failures);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("filePattern", filePattern).withLabel("Prompt files"))
        .add(DisplayData.item("runSeed", runSeed).withLabel("Run seed"))
        .add(DisplayData.item("videosPerPrompt", videosPerPrompt).withLabel("Videos per prompt"))
        .add(DisplayData.item("maxPromptChars", maxPromptChars).withLabel("Max prompt characters"))
        .add(DisplayData.item("maxLineBytes", maxLineBytes).withLabel("Max line bytes"));
  }

  private static void checkPositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
