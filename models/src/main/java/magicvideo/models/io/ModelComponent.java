package magicvideo.models.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * One file of a model directory as {@code model.json} records it: the network's (or
 * tokenizer's) config as written by Jackson from its config record, the file name relative to
 * the directory, and the file's SHA-256 and size, checked when the directory is opened.
 */
public record ModelComponent(JsonNode config, String file, String sha256, long bytes) {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public ModelComponent {
    if (config == null || !config.isObject()) {
      throw new IllegalArgumentException("config must be a JSON object, got " + config);
    }
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException("file must not be blank");
    }
    if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "sha256 of " + file + " must be 64 lower-case hex digits, got " + sha256);
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes of " + file + " must be >= 0, got " + bytes);
    }
    config = config.deepCopy();
  }

  /** The config, a copy (JSON trees are mutable). */
  @Override
  public JsonNode config() {
    return config.deepCopy();
  }
}
