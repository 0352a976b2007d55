package magicvideo.transforms.prompts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The fields of a CSV/TSV row (or the single prompt of a .txt line): every value is text, and
 * numbers are parsed from it. An empty cell counts as absent for ids and numbers.
 */
final class TextFields implements RowFields {
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  /** Plain decimals only: Double.parseDouble would also take "NaN", "Infinity", "0x1p3", "1d". */
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

  private final Map<String, String> values;

  /**
   * @param values cells by column name, in column order
   */
  TextFields(Map<String, String> values) {
    this.values = values;
  }

  static TextFields promptOnly(String prompt) {
    return new TextFields(Map.of("prompt", prompt));
  }

  @Override
  public @Nullable String string(String name) {
    return values.get(name);
  }

  @Override
  public @Nullable String identifier(String name) {
    return nonEmpty(name);
  }

  @Override
  public @Nullable Long integer(String name) throws BadRow {
    String text = nonEmpty(name);
    if (text == null) {
      return null;
    }
    if (!INTEGER.matcher(text).matches()) {
      throw wrongType(name, "an integer", text);
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadRow(
          FailureKind.OUT_OF_RANGE,
          "\"" + name + "\" is " + BadRow.excerpt(text) + ", which does not fit in 64 bits");
    }
  }

  @Override
  public @Nullable Double number(String name) throws BadRow {
    String text = nonEmpty(name);
    if (text == null) {
      return null;
    }
    if (!DECIMAL.matcher(text).matches()) {
      throw wrongType(name, "a number", text);
    }
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value)) {
      throw new BadRow(
          FailureKind.OUT_OF_RANGE,
          "\"" + name + "\" is " + BadRow.excerpt(text) + ", beyond a double");
    }
    return value;
  }

  @Override
  public ObjectNode others(Set<String> known) {
    ObjectNode others = PromptJson.MAPPER.createObjectNode();
    values.forEach(
        (name, value) -> {
          if (!known.contains(name)) {
            others.put(name, value);
          }
        });
    return others;
  }

  /** The cell with surrounding white space removed, or null when absent or blank. */
  private @Nullable String nonEmpty(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.strip();
  }

  private static BadRow wrongType(String name, String expected, String text) {
    return new BadRow(
        FailureKind.WRONG_TYPE,
        "\"" + name + "\" must be " + expected + ", found \"" + BadRow.excerpt(text) + "\"");
  }
}
