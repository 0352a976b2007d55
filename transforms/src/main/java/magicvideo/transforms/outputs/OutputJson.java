package magicvideo.transforms.outputs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import magicvideo.transforms.prompts.PromptJson;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reading the JSON this package writes (manifest lines, run records) back, with errors that name
 * the file or line and the field. The mapper is the prompts' one, so that a row's extras, copied
 * into the manifest, keep their exact digits on the way in and out.
 */
final class OutputJson {
  static final JsonMapper MAPPER = PromptJson.MAPPER;

  private OutputJson() {}

  /** Parses one JSON object; {@code where} names its origin for the error message. */
  static JsonNode parseObject(String json, String where) {
    return parseObject(MAPPER, json, where);
  }

  /** Parses one JSON object with {@code mapper}, e.g. one that reads decimals as doubles. */
  static JsonNode parseObject(ObjectMapper mapper, String json, String where) {
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          where + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + " is not a JSON object");
    }
    return node;
  }

  static String text(JsonNode object, String field, String where) {
    JsonNode value = required(object, field, where);
    if (!value.isTextual()) {
      throw wrongType(field, "a string", value, where);
    }
    return value.textValue();
  }

  static @Nullable String optionalText(JsonNode object, String field, String where) {
    JsonNode value = object.get(field);
    return value == null || value.isNull() ? null : text(object, field, where);
  }

  static long integer(JsonNode object, String field, String where) {
    JsonNode value = required(object, field, where);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw wrongType(field, "an integer", value, where);
    }
    return value.longValue();
  }

  static int smallInteger(JsonNode object, String field, String where) {
    JsonNode value = required(object, field, where);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw wrongType(field, "a 32-bit integer", value, where);
    }
    return value.intValue();
  }

  static double number(JsonNode object, String field, String where) {
    JsonNode value = required(object, field, where);
    if (!value.isNumber()) {
      throw wrongType(field, "a number", value, where);
    }
    return value.doubleValue();
  }

  static JsonNode object(JsonNode object, String field, String where) {
    JsonNode value = required(object, field, where);
    if (!value.isObject()) {
      throw wrongType(field, "an object", value, where);
    }
    return value;
  }

  /** One line of JSON; a tree of plain nodes always serialises. */
  static String write(JsonNode node) {
    return PromptJson.write(node);
  }

  private static JsonNode required(JsonNode object, String field, String where) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(where + " has no \"" + field + "\"");
    }
    return value;
  }

  private static IllegalArgumentException wrongType(
      String field, String expected, JsonNode value, String where) {
    return new IllegalArgumentException(
        where + ": \"" + field + "\" must be " + expected + ", found " + value.getNodeType());
  }
}
