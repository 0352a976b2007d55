package magicvideo.transforms.outputs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;

/**
 * Which model made a video: its name and version from {@code model.json}, and its fingerprint, the
 * SHA-256 of {@code model.json} (which records the hash of every weight file), as {@code
 * magicvideo.models.io.ModelDirectory#fingerprint()} computes it. Two runs with equal fingerprints
 * used exactly the same weights.
 */
public record ModelRef(String name, String version, String fingerprint) implements Serializable {
  public ModelRef {
    requireNonNull(name, "name");
    requireNonNull(version, "version");
    requireNonNull(fingerprint, "fingerprint");
  }

  ObjectNode toJson() {
    ObjectNode json = OutputJson.MAPPER.createObjectNode();
    json.put("name", name);
    json.put("version", version);
    json.put("fingerprint", fingerprint);
    return json;
  }

  static ModelRef fromJson(JsonNode json, String where) {
    return new ModelRef(
        OutputJson.text(json, "name", where),
        OutputJson.text(json, "version", where),
        OutputJson.text(json, "fingerprint", where));
  }
}
