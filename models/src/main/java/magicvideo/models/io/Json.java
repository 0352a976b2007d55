package magicvideo.models.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Jackson mapper for the files this package reads and writes. */
final class Json {

  /**
   * Refuses duplicate keys and trailing garbage: in a weight header or a manifest either one
   * means two writers disagreed, and silently taking the last value would hide it.
   */
  static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}
}
