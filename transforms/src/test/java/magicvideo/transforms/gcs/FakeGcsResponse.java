package magicvideo.transforms.gcs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the fake answers to one call: status, headers and body. */
record FakeGcsResponse(int status, Map<String, String> headers, byte[] body) {

  static final ObjectMapper JSON = new ObjectMapper();

  static FakeGcsResponse json(int status, Object value) {
    try {
      return new FakeGcsResponse(status,
          Map.of("Content-Type", "application/json; charset=UTF-8"),
          JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Fake GCS response is not serialisable: " + value, e);
    }
  }

  static FakeGcsResponse empty(int status) {
    return new FakeGcsResponse(status, Map.of(), new byte[0]);
  }

  /** An error in the JSON API's format; {@code reason} is what clients branch on. */
  static FakeGcsResponse error(int status, String reason, String message) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("domain", "global");
    detail.put("reason", reason);
    detail.put("message", message);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", status);
    error.put("message", message);
    error.put("errors", List.of(detail));
    return json(status, Map.of("error", error));
  }

  FakeGcsResponse withHeaders(Map<String, String> extra) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(extra);
    return new FakeGcsResponse(status, all, body);
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
