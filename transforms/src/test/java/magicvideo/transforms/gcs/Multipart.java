package magicvideo.transforms.gcs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Splits multipart/related (uploads) and multipart/mixed (batches) bodies into their parts. */
final class Multipart {

  record Part(Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private Multipart() {}

  /** The boundary named in a Content-Type header, without quotes. */
  static String boundary(String contentType) {
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.toLowerCase().startsWith("boundary=")) {
        return p.substring("boundary=".length()).replace("\"", "");
      }
    }
    throw new IllegalArgumentException("No multipart boundary in Content-Type: " + contentType);
  }

  static List<Part> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int afterDelimiter = at + delimiter.length;
      if (startsWith(body, afterDelimiter, "--")) {
        break; // closing delimiter
      }
      int partStart = skipLineEnd(body, afterDelimiter);
      int next = indexOf(body, delimiter, partStart);
      if (next < 0) {
        throw new IllegalArgumentException("Multipart body has no closing boundary " + boundary);
      }
      int partEnd = next;
      // the CRLF before a delimiter belongs to the delimiter, not to the part
      if (partEnd >= 2 && body[partEnd - 2] == '\r' && body[partEnd - 1] == '\n') {
        partEnd -= 2;
      } else if (partEnd >= 1 && body[partEnd - 1] == '\n') {
        partEnd -= 1;
      }
      parts.add(parsePart(Arrays.copyOfRange(body, partStart, partEnd)));
      at = next;
    }
    return parts;
  }

  /** Headers up to the first empty line, then the body. */
  static Part parsePart(byte[] part) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int at = 0;
    while (at < part.length) {
      int lineEnd = indexOf(part, new byte[] {'\n'}, at);
      int end = lineEnd < 0 ? part.length : lineEnd;
      String line = new String(part, at, end - at, StandardCharsets.ISO_8859_1).strip();
      at = lineEnd < 0 ? part.length : lineEnd + 1;
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("Not a header line in a multipart part: " + line);
      }
      headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    return new Part(headers, Arrays.copyOfRange(part, at, part.length));
  }

  /** Index just past the end of the line that {@code at} is on. */
  static int skipLineEnd(byte[] body, int at) {
    int lineEnd = indexOf(body, new byte[] {'\n'}, at);
    return lineEnd < 0 ? body.length : lineEnd + 1;
  }

  private static boolean startsWith(byte[] body, int at, String text) {
    byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
    return at + t.length <= body.length
        && Arrays.equals(body, at, at + t.length, t, 0, t.length);
  }

  private static int indexOf(byte[] body, byte[] needle, int from) {
    outer:
    for (int i = from; i <= body.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (body[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
