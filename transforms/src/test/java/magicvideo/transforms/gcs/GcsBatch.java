package magicvideo.transforms.gcs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code POST /batch/storage/v1}: a multipart/mixed body whose parts are whole HTTP requests
 * ({@code application/http}), answered by a multipart/mixed body of whole HTTP responses in the
 * same order. Beam's GcsUtil sends its object gets, deletes and rewrites this way.
 */
final class GcsBatch {

  private static final String BOUNDARY = "batch_fake_gcs";

  private GcsBatch() {}

  static FakeGcsResponse handle(FakeGcsRequest batch,
      Function<FakeGcsRequest, FakeGcsResponse> route) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Multipart.Part part :
        Multipart.parse(batch.body(), Multipart.boundary(batch.header("Content-Type")))) {
      FakeGcsResponse response = route.apply(embeddedRequest(part.body()));
      String contentId = part.header("Content-ID");
      write(out, "--" + BOUNDARY + "\r\nContent-Type: application/http\r\n");
      if (contentId != null) {
        write(out, "Content-ID: " + contentId.replace("<", "<response-") + "\r\n");
      }
      write(out, "\r\nHTTP/1.1 " + response.status() + " " + reason(response.status()) + "\r\n");
      for (Map.Entry<String, String> h : response.headers().entrySet()) {
        write(out, h.getKey() + ": " + h.getValue() + "\r\n");
      }
      write(out, "Content-Length: " + response.body().length + "\r\n\r\n");
      out.writeBytes(response.body());
      write(out, "\r\n");
    }
    write(out, "--" + BOUNDARY + "--\r\n");
    return new FakeGcsResponse(200,
        Map.of("Content-Type", "multipart/mixed; boundary=" + BOUNDARY), out.toByteArray());
  }

  /** {@code GET /storage/v1/b/x/o/y HTTP/1.1}, headers, an empty line, then the body. */
  private static FakeGcsRequest embeddedRequest(byte[] http) {
    int afterRequestLine = Multipart.skipLineEnd(http, 0);
    String[] requestLine =
        new String(http, 0, afterRequestLine, StandardCharsets.ISO_8859_1).strip().split(" ");
    Multipart.Part rest =
        Multipart.parsePart(Arrays.copyOfRange(http, afterRequestLine, http.length));
    String target = requestLine[1];
    if (target.startsWith("http://") || target.startsWith("https://")) {
      target = target.substring(target.indexOf('/', target.indexOf("//") + 2));
    }
    return FakeGcsRequest.parse(requestLine[0], target, rest.headers(), rest.body());
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 404 -> "Not Found";
      case 412 -> "Precondition Failed";
      default -> "Status";
    };
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
