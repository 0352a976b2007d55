package magicvideo.transforms.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The fields of one jsonl row. JSON types are taken at their word: "42" is not an integer. */
final class JsonFields implements RowFields {
  private final ObjectNode object;

  private JsonFields(ObjectNode object) {
    this.object = object;
  }

  /** Parses one jsonl line, which must hold exactly one JSON object. */
  static JsonFields parse(String line) throws BadRow {
    JsonNode node;
    try {
      node = PromptJson.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadRow(
          FailureKind.MALFORMED_JSON,
          "malformed JSON at character "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      throw new BadRow(
          FailureKind.NOT_AN_OBJECT, "expected a JSON object per line, found " + describe(node));
    }
    return new JsonFields((ObjectNode) node);
  }

  @Override
  public @Nullable String string(String name) throws BadRow {
    JsonNode value = present(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw wrongType(name, "a string", value);
    }
    return value.textValue();
  }

  @Override
  public @Nullable String identifier(String name) throws BadRow {
    JsonNode value = present(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual() && !value.isIntegralNumber()) {
      throw wrongType(name, "a string or an integer", value);
    }
    String text = value.asText();
    return text.isEmpty() ? null : text;
  }

  @Override
  public @Nullable Long integer(String name) throws BadRow {
    JsonNode value = present(name);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber()) {
      throw wrongType(name, "an integer", value);
    }
    if (!value.canConvertToLong()) {
      throw new BadRow(
          FailureKind.OUT_OF_RANGE,
          "\""
              + name
              + "\" is "
              + BadRow.excerpt(value.asText())
              + ", which does not fit in 64 bits");
    }
    return value.longValue();
  }

  @Override
  public @Nullable Double number(String name) throws BadRow {
    JsonNode value = present(name);
    if (value == null) {
      return null;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      throw wrongType(name, "a finite number", value);
    }
    return value.doubleValue();
  }

  @Override
  public ObjectNode others(Set<String> known) {
    ObjectNode others = object.deepCopy();
    others.remove(known);
    return others;
  }

  /** The value, or null when the field is absent or JSON null (both mean "not given"). */
  private @Nullable JsonNode present(String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  private static BadRow wrongType(String name, String expected, JsonNode value) {
    return new BadRow(
        FailureKind.WRONG_TYPE,
        "\"" + name + "\" must be " + expected + ", found " + describe(value));
  }

  /** E.g. {@code a string "abc"}, {@code a number 4.5}, {@code an array}. */
  private static String describe(JsonNode node) {
    if (node.isMissingNode()) {
      return "no JSON value";
    }
    if (node.isContainerNode()) {
      return node.isArray() ? "an array" : "an object";
    }
    return "a "
        + node.getNodeType().name().toLowerCase(Locale.ROOT)
        + " "
        + BadRow.excerpt(node.toString());
  }
}
