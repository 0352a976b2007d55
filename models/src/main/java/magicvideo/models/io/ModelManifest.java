package magicvideo.models.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Collections;
import java.util.TreeMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The content of a model directory's {@code model.json}: what the model is, and for each
 * component (e.g. {@code text_encoder}, {@code keyframe_unet}, {@code interpolation_unet},
 * {@code vae}, {@code superres_unet}) its config and weights file, plus the tokenizer.
 */
public record ModelManifest(
    String name,
    String version,
    String description,
    Map<String, ModelComponent> components,
    ModelComponent tokenizer) {

  private static final Pattern COMPONENT_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  public ModelManifest {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("model name must not be blank");
    }
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("model version must not be blank");
    }
    if (description == null) {
      throw new IllegalArgumentException("model description must not be null (may be empty)");
    }
    if (components == null || components.isEmpty()) {
      throw new IllegalArgumentException("model has no components");
    }
    for (Map.Entry<String, ModelComponent> component : components.entrySet()) {
      if (!COMPONENT_NAME.matcher(component.getKey()).matches()) {
        throw new IllegalArgumentException("component name '" + component.getKey()
            + "' must match " + COMPONENT_NAME);
      }
      if (component.getValue() == null) {
        throw new IllegalArgumentException("component '" + component.getKey() + "' is null");
      }
    }
    if (tokenizer == null) {
      throw new IllegalArgumentException("model has no tokenizer entry");
    }
    // Sorted, so that model.json, and so the fingerprint, does not depend on insertion order.
    components = Collections.unmodifiableMap(new TreeMap<>(components));
  }

  /** The entry of {@code component}, refusing names the model does not have. */
  public ModelComponent component(String component) {
    ModelComponent entry = components.get(component);
    if (entry == null) {
      throw new IllegalArgumentException("model " + name + " " + version + " has no component '"
          + component + "'; it has " + components.keySet());
    }
    return entry;
  }

  /** The config of {@code component} bound to {@code type}, e.g. a network's config record. */
  public <T> T config(String component, Class<T> type) {
    return bind(component, component(component).config(), type);
  }

  public <T> T tokenizerConfig(Class<T> type) {
    return bind("tokenizer", tokenizer.config(), type);
  }

  private <T> T bind(String component, JsonNode config, Class<T> type) {
    try {
      return Json.STRICT.treeToValue(config, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("config of '" + component + "' in model " + name + " "
          + version + " does not fit " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The config object as the JSON tree stored in a manifest. */
  static JsonNode configTree(Object config) {
    JsonNode tree = Json.STRICT.valueToTree(config);
    if (!tree.isObject()) {
      throw new IllegalArgumentException(
          "config " + config + " does not serialise to a JSON object but to " + tree);
    }
    return tree;
  }

  /** The manifest as {@code model.json} bytes: pretty-printed, the same bytes every time. */
  public byte[] toJson() {
    try {
      return Json.STRICT.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a manifest of JSON trees and strings always serialises", e);
    }
  }

  /** Parses {@code model.json} bytes; the message of a failure says what is wrong and where. */
  public static ModelManifest fromJson(byte[] json) throws IOException {
    try {
      return Json.STRICT.readValue(json, ModelManifest.class);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")";
      throw new IOException(e.getOriginalMessage() + where, e);
    }
  }
}
