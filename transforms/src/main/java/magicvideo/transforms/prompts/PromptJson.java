package magicvideo.transforms.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper for prompt rows, extras, failure records and manifest lines (which carry the
 * rows' extras on unchanged). Thread-safe once built.
 */
public final class PromptJson {
  /**
   * Strict where leniency would hide a broken row (duplicate keys, text after the object), exact
   * where the extras are copied into the manifest: decimals keep their digits ("0.10" stays
   * "0.10"), which the default double parsing would not guarantee.
   */
  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private PromptJson() {}

  /** One line of JSON: Jackson escapes line breaks inside strings. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // A tree of plain nodes always serialises; this would be a Jackson bug.
      throw new UncheckedIOException("cannot write JSON tree", e);
    }
  }
}
