package magicvideo.transforms.gcs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JSON API call as the fake sees it, whether it came over HTTP or inside a /batch body.
 * Path segments are URL-decoded one by one, so an object name's encoded slashes stay inside one
 * segment.
 */
record FakeGcsRequest(
    String method, List<String> segments, Map<String, String> query,
    Map<String, String> headers, byte[] body) {

  /** {@code rawPathAndQuery} as sent, e.g. {@code /storage/v1/b/x/o/a%2Fb?alt=media}. */
  static FakeGcsRequest parse(
      String method, String rawPathAndQuery, Map<String, String> headers, byte[] body) {
    int q = rawPathAndQuery.indexOf('?');
    String rawPath = q < 0 ? rawPathAndQuery : rawPathAndQuery.substring(0, q);
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(decode(segment.replace("+", "%2B")));
      }
    }
    Map<String, String> query = new TreeMap<>();
    if (q >= 0) {
      for (String pair : rawPathAndQuery.substring(q + 1).split("&")) {
        if (!pair.isEmpty()) {
          int eq = pair.indexOf('=');
          query.put(decode(eq < 0 ? pair : pair.substring(0, eq)),
              eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
      }
    }
    Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseless.putAll(headers);
    return new FakeGcsRequest(method, List.copyOf(segments), Collections.unmodifiableMap(query),
        Collections.unmodifiableMap(caseless), body);
  }

  String header(String name) {
    return headers.get(name);
  }

  /** The path matches {@code pattern}, whose {@code *} segments match any one segment. */
  boolean pathIs(String... pattern) {
    if (segments.size() != pattern.length) {
      return false;
    }
    for (int i = 0; i < pattern.length; i++) {
      if (!pattern[i].equals("*") && !pattern[i].equals(segments.get(i))) {
        return false;
      }
    }
    return true;
  }

  String segment(int i) {
    return segments.get(i);
  }

  String describe() {
    return method + " /" + String.join("/", segments) + (query.isEmpty() ? "" : " " + query);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
