package magicvideo.transforms.prompts;

import org.checkerframework.checker.nullness.qual.Nullable;

/** Turns the non-empty lines of one file, in order, into rows. One instance per file. */
interface LineParser {
  /** The row on this line, or null when the line is a header rather than a row. */
  @Nullable RowFields parse(long lineNumber, String line) throws BadRow;
}
