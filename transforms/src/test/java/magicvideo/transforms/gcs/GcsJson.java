package magicvideo.transforms.gcs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import magicvideo.transforms.gcs.GcsObjectStore.NewObject;
import magicvideo.transforms.gcs.GcsObjectStore.StoredObject;

/** The JSON API's resource representations, as far as the Java clients read them. */
final class GcsJson {

  private GcsJson() {}

  static Map<String, Object> object(StoredObject o, String baseUrl) {
    Map<String, Object> json = new LinkedHashMap<>();
    String path = "b/" + o.bucket() + "/o/" + encode(o.name());
    json.put("kind", "storage#object");
    json.put("id", o.bucket() + "/" + o.name() + "/" + o.generation());
    json.put("selfLink", baseUrl + "/storage/v1/" + path);
    json.put("mediaLink",
        baseUrl + "/download/storage/v1/" + path + "?generation=" + o.generation() + "&alt=media");
    json.put("name", o.name());
    json.put("bucket", o.bucket());
    json.put("generation", Long.toString(o.generation()));
    json.put("metageneration", "1");
    json.put("contentType", o.contentType());
    if (o.contentEncoding() != null) {
      json.put("contentEncoding", o.contentEncoding());
    }
    json.put("storageClass", "STANDARD");
    json.put("size", Integer.toString(o.data().length));
    json.put("md5Hash", o.md5());
    json.put("crc32c", o.crc32c());
    json.put("etag", "CN" + o.generation());
    json.put("timeCreated", o.created().toString());
    json.put("updated", o.created().toString());
    if (!o.metadata().isEmpty()) {
      json.put("metadata", o.metadata());
    }
    return json;
  }

  static Map<String, Object> bucket(String name, String baseUrl) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", "storage#bucket");
    json.put("id", name);
    json.put("selfLink", baseUrl + "/storage/v1/b/" + name);
    json.put("name", name);
    json.put("projectNumber", "123456789");
    json.put("metageneration", "1");
    json.put("location", "US");
    json.put("storageClass", "STANDARD");
    json.put("etag", "CAE=");
    return json;
  }

  /**
   * Object metadata sent with an upload or copy; {@code name} and content type from the body
   * win over the defaults given.
   */
  static NewObject newObject(byte[] body, String bucket, String defaultName,
      String defaultContentType) {
    return newObject(body.length == 0 ? null : read(body), bucket, defaultName,
        defaultContentType);
  }

  /** As above, from parsed JSON; {@code json} may be null when there was no body. */
  static NewObject newObject(JsonNode json, String bucket, String defaultName,
      String defaultContentType) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (json != null && json.has("metadata")) {
      json.get("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(),
          e.getValue().asText()));
    }
    return new NewObject(bucket, text(json, "name", defaultName),
        text(json, "contentType", defaultContentType), text(json, "contentEncoding", null),
        metadata);
  }

  static JsonNode read(byte[] body) {
    try {
      return FakeGcsResponse.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("Fake GCS got a body that is not JSON", e);
    }
  }

  private static String text(JsonNode json, String field, String fallback) {
    return json != null && json.hasNonNull(field) ? json.get(field).asText() : fallback;
  }

  private static String encode(String name) {
    return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}
