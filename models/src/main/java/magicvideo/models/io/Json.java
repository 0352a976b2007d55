package magicvideo.models.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The Jackson mapper for the files this package reads and writes. */
final class Json {

  /**
   * Refuses duplicate keys and trailing garbage: in a weight header or a manifest either one
   * means two writers disagreed, and silently taking the last value would hide it. Binding to a
   * record also refuses missing, null-for-primitive and unknown fields, so a config written for
   * another version of a network fails loudly instead of running with zeros. Map entries are
   * written in key order, so a config given as a map gives the same model.json, and the same
   * model fingerprint, in every run.
   */
  static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Json() {}
}
