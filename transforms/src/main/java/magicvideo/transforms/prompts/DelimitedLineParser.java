package magicvideo.transforms.prompts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * CSV (or TSV) with a header row, quoted per RFC 4180: a field in double quotes may hold the
 * delimiter, and {@code ""} inside it is one quote. A quote inside an unquoted field is kept as a
 * literal character, as spreadsheets and Python's csv module do.
 *
 * <p>One record is one line: a quoted field cannot span lines (write such prompts as jsonl with
 * {@code \n}). The rule keeps line numbers meaningful and stops one unclosed quote from swallowing
 * the rest of the file; an unclosed quote rejects only its own line.
 *
 * <p>The first non-empty line is the header. Names are trimmed and must include {@code prompt}.
 * When the header is unusable it is rejected, and so is every row after it, each naming the header:
 * rows are never dropped unreported.
 */
final class DelimitedLineParser implements LineParser {
  private static final char QUOTE = '"';

  private final char delimiter;
  private long headerLine;
  private @Nullable List<String> columns;
  private String headerProblem = "";

  DelimitedLineParser(char delimiter) {
    this.delimiter = delimiter;
  }

  @Override
  public @Nullable RowFields parse(long lineNumber, String line) throws BadRow {
    if (headerLine == 0) {
      headerLine = lineNumber;
      columns = readHeader(line);
      return null;
    }
    if (columns == null) {
      throw new BadRow(
          FailureKind.BAD_HEADER,
          "row not read because the header on line "
              + headerLine
              + " is unusable: "
              + headerProblem);
    }
    List<String> cells = split(line, delimiter);
    if (cells.size() != columns.size()) {
      throw new BadRow(
          FailureKind.WRONG_COLUMN_COUNT,
          "expected "
              + columns.size()
              + " columns as in the header on line "
              + headerLine
              + ", found "
              + cells.size());
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      values.put(columns.get(i), cells.get(i));
    }
    return new TextFields(values);
  }

  private @Nullable List<String> readHeader(String line) throws BadRow {
    try {
      List<String> names = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (String cell : split(line, delimiter)) {
        String name = cell.strip();
        if (!seen.add(name)) {
          throw new BadRow(FailureKind.BAD_HEADER, "column \"" + name + "\" appears twice");
        }
        names.add(name);
      }
      if (!seen.contains("prompt")) {
        throw new BadRow(
            FailureKind.BAD_HEADER,
            "no \"prompt\" column (columns: " + String.join(", ", names) + ")");
      }
      return names;
    } catch (BadRow e) {
      headerProblem = e.reason();
      throw new BadRow(FailureKind.BAD_HEADER, "unusable header: " + e.reason());
    }
  }

  /** Splits one line into fields; rejects an unclosed quote or text after a closing quote. */
  static List<String> split(String line, char delimiter) throws BadRow {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < line.length() && line.charAt(i) == QUOTE) {
        i = readQuoted(line, i, cell);
        if (i < line.length() && line.charAt(i) != delimiter) {
          throw new BadRow(
              FailureKind.BROKEN_QUOTING,
              "unexpected character '"
                  + line.charAt(i)
                  + "' after a closing quote at character "
                  + (i + 1)
                  + " (double a quote inside a quoted field: \"\")");
        }
      } else {
        int end = line.indexOf(delimiter, i);
        end = end < 0 ? line.length() : end;
        cell.append(line, i, end);
        i = end;
      }
      cells.add(cell.toString());
      cell.setLength(0);
      if (i >= line.length()) {
        return cells;
      }
      i++; // past the delimiter; a delimiter at the very end leaves one more, empty, field
    }
  }

  /** Reads the quoted field opening at {@code open}; returns the index after its closing quote. */
  private static int readQuoted(String line, int open, StringBuilder cell) throws BadRow {
    int i = open + 1;
    while (i < line.length()) {
      char c = line.charAt(i++);
      if (c != QUOTE) {
        cell.append(c);
      } else if (i < line.length() && line.charAt(i) == QUOTE) {
        cell.append(QUOTE);
        i++;
      } else {
        return i;
      }
    }
    throw new BadRow(
        FailureKind.BROKEN_QUOTING,
        "the quoted field opened at character " + (open + 1) + " is not closed on this line");
  }
}
