package magicvideo.models.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One diffusers or transformers {@code config.json}, read with field-by-field checks whose
 * failures name the file and the field. Fields this class is not asked about are ignored: such
 * configs carry bookkeeping ({@code _diffusers_version}, {@code architectures}) and settings of
 * training or Python-side behaviour ({@code dropout}, {@code force_upcast}).
 */
final class ConfigFile {
  private final Path file;
  private final JsonNode root;

  private ConfigFile(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  static ConfigFile read(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + " does not exist: not a Stable Diffusion checkpoint "
          + "in the diffusers layout?");
    } catch (JsonProcessingException e) {
      throw new CheckpointException(file + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file + " is not a JSON object");
    }
    return new ConfigFile(file, root);
  }

  Path file() {
    return file;
  }

  boolean has(String field) {
    return root.hasNonNull(field);
  }

  int integer(String field) throws CheckpointException {
    JsonNode value = required(field);
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw refuse(field, "must be an integer, got " + value);
    }
    return value.intValue();
  }

  int integer(String field, int absent) throws CheckpointException {
    return has(field) ? integer(field) : absent;
  }

  double number(String field, double absent) throws CheckpointException {
    if (!has(field)) {
      return absent;
    }
    JsonNode value = root.get(field);
    if (!value.isNumber()) {
      throw refuse(field, "must be a number, got " + value);
    }
    return value.doubleValue();
  }

  String string(String field, String absent) throws CheckpointException {
    if (!has(field)) {
      return absent;
    }
    JsonNode value = root.get(field);
    if (!value.isTextual()) {
      throw refuse(field, "must be a string, got " + value);
    }
    return value.textValue();
  }

  boolean bool(String field, boolean absent) throws CheckpointException {
    if (!has(field)) {
      return absent;
    }
    JsonNode value = root.get(field);
    if (!value.isBoolean()) {
      throw refuse(field, "must be true or false, got " + value);
    }
    return value.booleanValue();
  }

  int[] integers(String field) throws CheckpointException {
    List<JsonNode> items = list(field);
    int[] values = new int[items.size()];
    for (int i = 0; i < values.length; i++) {
      if (!items.get(i).isIntegralNumber() || !items.get(i).canConvertToInt()) {
        throw refuse(field, "must be a list of integers, got " + root.get(field));
      }
      values[i] = items.get(i).intValue();
    }
    return values;
  }

  List<String> strings(String field) throws CheckpointException {
    List<String> values = new ArrayList<>();
    for (JsonNode item : list(field)) {
      if (!item.isTextual()) {
        throw refuse(field, "must be a list of strings, got " + root.get(field));
      }
      values.add(item.textValue());
    }
    return values;
  }

  /** The field as given, null when absent or null. */
  JsonNode node(String field) {
    return has(field) ? root.get(field) : null;
  }

  /**
   * Refuses a field that is present with another value than the one our networks implement
   * ({@code null}: the feature must be absent). An absent field is accepted: every field checked
   * this way defaults, in diffusers and transformers, to what we implement. Numbers compare by
   * value, so 1 and 1.0 agree.
   */
  void expect(String field, Object implemented, String why) throws CheckpointException {
    JsonNode given = node(field);
    if (given != null && !matches(given, implemented)) {
      throw refuse(field, "is " + given + ", but " + why);
    }
  }

  private static boolean matches(JsonNode given, Object implemented) {
    if (implemented instanceof Number n) {
      return given.isNumber() && given.doubleValue() == n.doubleValue();
    }
    if (implemented instanceof Boolean b) {
      return given.isBoolean() && given.booleanValue() == b;
    }
    return implemented != null && given.isTextual() && given.textValue().equals(implemented);
  }

  CheckpointException refuse(String field, String problem) {
    return new CheckpointException(file + ": " + field + " " + problem);
  }

  private JsonNode required(String field) throws CheckpointException {
    if (!has(field)) {
      throw refuse(field, "is missing");
    }
    return root.get(field);
  }

  private List<JsonNode> list(String field) throws CheckpointException {
    JsonNode value = required(field);
    if (!value.isArray() || value.isEmpty()) {
      throw refuse(field, "must be a non-empty list, got " + value);
    }
    List<JsonNode> items = new ArrayList<>();
    value.forEach(items::add);
    return items;
  }
}
