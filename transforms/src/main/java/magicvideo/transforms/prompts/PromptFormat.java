package magicvideo.transforms.prompts;

import java.util.Locale;
import org.apache.beam.sdk.io.Compression;

/** The prompt file formats, chosen by file extension after any compression extension. */
enum PromptFormat {
  /** One prompt per line. */
  TXT(".txt") {
    @Override
    LineParser newParser() {
      return (lineNumber, line) -> TextFields.promptOnly(line);
    }
  },
  /** One JSON object per line. */
  JSONL(".jsonl") {
    @Override
    LineParser newParser() {
      return (lineNumber, line) -> JsonFields.parse(line);
    }
  },
  CSV(".csv") {
    @Override
    LineParser newParser() {
      return new DelimitedLineParser(',');
    }
  },
  TSV(".tsv") {
    @Override
    LineParser newParser() {
      return new DelimitedLineParser('\t');
    }
  };

  private final String extension;

  PromptFormat(String extension) {
    this.extension = extension;
  }

  /** A parser for one file; CSV/TSV parsers remember that file's header. */
  abstract LineParser newParser();

  /**
   * The format of a file such as {@code prompts.jsonl.gz}. The compression extension is recognised
   * by {@link Compression#detect}, the same rule {@code FileIO.readMatches()} uses to decompress.
   */
  static PromptFormat forFileName(String fileName) throws BadRow {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (Compression.detect(name) != Compression.UNCOMPRESSED) {
      name = name.substring(0, name.lastIndexOf('.'));
    }
    for (PromptFormat format : values()) {
      if (name.endsWith(format.extension)) {
        return format;
      }
    }
    throw new BadRow(
        FailureKind.UNSUPPORTED_FORMAT,
        "cannot tell the format of \""
            + fileName
            + "\": expected .txt, .jsonl, .csv or .tsv, optionally compressed (e.g. .jsonl.gz)");
  }
}
