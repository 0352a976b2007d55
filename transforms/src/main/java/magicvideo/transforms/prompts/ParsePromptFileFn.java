package magicvideo.transforms.prompts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileIO.ReadableFile;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads one prompt file line by line. Every non-empty line ends up as exactly one row request or
 * one failure that names the file and line; nothing here throws, so bad data never stops the job.
 *
 * <p>Empty lines (no characters at all) are skipped silently in every format: they are layout, not
 * rows. A line of only spaces is a row, and fails as an empty prompt (or malformed JSON).
 *
 * <p>A file is read whole by one worker: prompt files are small next to the cost of generating
 * their videos, and the shuffle that follows ({@link DropDuplicateIds}) spreads the rows out.
 */
final class ParsePromptFileFn extends DoFn<ReadableFile, PromptRequest> {
  /** One request per valid row (video 0), before duplicate ids are removed. */
  static final TupleTag<PromptRequest> ROWS = new TupleTag<PromptRequest>("rows") {};

  private final RowValidator validator;
  private final int maxLineBytes;

  ParsePromptFileFn(RowValidator validator, int maxLineBytes) {
    this.validator = validator;
    this.maxLineBytes = maxLineBytes;
  }

  @ProcessElement
  public void processElement(@Element ReadableFile file, MultiOutputReceiver out) {
    ResourceId resource = file.getMetadata().resourceId();
    String source = resource.toString();
    String fileName = resource.getFilename() == null ? source : resource.getFilename();
    LineParser parser;
    InputStream in;
    try {
      parser = PromptFormat.forFileName(fileName).newParser();
      in = open(file);
    } catch (BadRow wholeFile) {
      reject(out, source, 0, wholeFile, null);
      return;
    }
    long lastLine = 0;
    try (Utf8Lines lines = new Utf8Lines(in, maxLineBytes)) {
      while (lines.next()) {
        lastLine = lines.number();
        if (!lines.isEmpty()) {
          readRow(lines, parser, source, fileName, out);
        }
      }
    } catch (IOException e) {
      // The rest of the file cannot be reached (e.g. a truncated .gz): one failure says where.
      BadRow broken =
          new BadRow(
              FailureKind.UNREADABLE_FILE,
              "reading stopped after line " + lastLine + ", the rest of the file is lost: " + e);
      reject(out, source, lastLine + 1, broken, null);
    }
  }

  private void readRow(
      Utf8Lines lines, LineParser parser, String source, String fileName, MultiOutputReceiver out) {
    try {
      RowFields row = parser.parse(lines.number(), lines.text());
      if (row == null) {
        return; // a header
      }
      PromptRequest request = validator.validate(row, source, fileName, lines.number());
      PromptMetrics.rowsRead.inc();
      out.get(ROWS).output(request);
    } catch (BadRow bad) {
      reject(out, source, lines.number(), bad, lines.preview());
    }
  }

  private static InputStream open(ReadableFile file) throws BadRow {
    try {
      return Channels.newInputStream(file.open());
    } catch (IOException e) {
      throw new BadRow(FailureKind.UNREADABLE_FILE, "cannot open the file: " + e);
    }
  }

  private static void reject(
      MultiOutputReceiver out, String source, long line, BadRow bad, @Nullable String raw) {
    PromptFailure failure =
        PromptFailure.builder()
            .setSource(source)
            .setLine(line)
            .setId(bad.id())
            .setFailureKind(bad.kind())
            .setReason(bad.reason())
            .setRawRow(raw)
            .build();
    PromptMetrics.rowsRead.inc();
    PromptMetrics.countFailure(failure);
    out.get(ReadPrompts.FAILURES).output(failure);
  }
}
