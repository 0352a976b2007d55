package magicvideo.transforms.gcs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/** The fake's protocol details that the real clients only exercise some of the time. */
public class FakeGcsServerTest {

  @Rule public final Timeout timeout = Timeout.seconds(30);

  private final HttpClient http = HttpClient.newHttpClient();
  private FakeGcsServer gcs;

  @Before
  public void startFake() throws IOException {
    gcs = FakeGcsServer.start();
  }

  @After
  public void stopFake() {
    gcs.close();
  }

  @Test
  public void gzipEncodedMultipartUploadIsStoredDecoded() throws Exception {
    String body = "--b\r\nContent-Type: application/json\r\n\r\n{\"name\":\"z.txt\"}\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n";
    HttpResponse<String> response = send(HttpRequest.newBuilder(
            uri("/upload/storage/v1/b/bucket/o?uploadType=multipart"))
        .header("Content-Type", "multipart/related; boundary=b")
        .header("Content-Encoding", "gzip")
        .POST(BodyPublishers.ofByteArray(gzip(body))));
    assertEquals(200, response.statusCode());
    assertThat(response.body(), containsString("\"contentType\":\"text/plain\""));
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8),
        gcs.objectBytes("bucket", "z.txt"));
  }

  @Test
  public void rangesOfMediaDownloads() throws Exception {
    gcs.putObject("bucket", "a/b", "0123456789".getBytes(StandardCharsets.UTF_8), "text/plain");
    assertEquals("234", range("bytes=2-4").body());
    assertEquals("789", range("bytes=-3").body());
    assertEquals("89", range("bytes=8-").body());
    HttpResponse<String> partial = range("bytes=8-100");
    assertEquals(206, partial.statusCode());
    assertEquals("bytes 8-9/10", partial.headers().firstValue("Content-Range").orElseThrow());
    assertEquals(416, range("bytes=10-").statusCode());
  }

  @Test
  public void resumableChunksMayOverlapAfterARetry() throws Exception {
    HttpResponse<String> session = send(HttpRequest.newBuilder(
            uri("/upload/storage/v1/b/bucket/o?uploadType=resumable&name=r.bin"))
        .POST(BodyPublishers.noBody()));
    URI location = URI.create(session.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> first = put(location, "bytes 0-3/*", "abcd");
    assertEquals(308, first.statusCode());
    assertEquals("bytes=0-3", first.headers().firstValue("Range").orElseThrow());
    // the client resends from byte 2: only "ef" is new
    assertEquals(200, put(location, "bytes 2-5/6", "cdef").statusCode());
    assertArrayEquals("abcdef".getBytes(StandardCharsets.UTF_8),
        gcs.objectBytes("bucket", "r.bin"));
  }

  @Test
  public void generationPreconditionsAreEnforced() throws Exception {
    gcs.putObject("bucket", "exists", new byte[] {1}, "application/octet-stream");
    HttpResponse<String> refused = send(HttpRequest.newBuilder(uri(
            "/upload/storage/v1/b/bucket/o?uploadType=media&name=exists&ifGenerationMatch=0"))
        .POST(BodyPublishers.ofString("x")));
    assertEquals(412, refused.statusCode());
    assertThat(refused.body(), containsString("conditionNotMet"));
    assertArrayEquals(new byte[] {1}, gcs.objectBytes("bucket", "exists"));
  }

  @Test
  public void unknownCallsGet501AndAreListed() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(
            uri("/storage/v1/b/bucket/o/x"))
        .method("PATCH", BodyPublishers.ofString("{}")));
    assertEquals(501, response.statusCode());
    assertThat(response.body(),
        containsString("does not implement PATCH /storage/v1/b/bucket/o/x"));
    assertThat(gcs.unhandledCalls(), contains("PATCH /storage/v1/b/bucket/o/x"));
  }

  private HttpResponse<String> range(String range) throws Exception {
    return send(HttpRequest.newBuilder(uri("/download/storage/v1/b/bucket/o/a%2Fb?alt=media"))
        .header("Range", range).GET());
  }

  private HttpResponse<String> put(URI location, String contentRange, String body)
      throws Exception {
    return send(HttpRequest.newBuilder(location).header("Content-Range", contentRange)
        .PUT(BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), BodyHandlers.ofString());
  }

  private URI uri(String pathAndQuery) {
    return URI.create(gcs.host() + pathAndQuery);
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
