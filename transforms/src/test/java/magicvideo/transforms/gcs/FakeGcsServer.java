package magicvideo.transforms.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import magicvideo.transforms.gcs.GcsObjectStore.NewObject;
import magicvideo.transforms.gcs.GcsObjectStore.PreconditionFailed;
import magicvideo.transforms.gcs.GcsObjectStore.StoredObject;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * An in-process fake of the Cloud Storage JSON API on 127.0.0.1 (a free port), enough for Beam's
 * GcsFileSystem (GcsUtil + gcsio) and the google-cloud-storage client to create, read, list,
 * copy/rename and delete objects. Objects live in memory. Calls it does not implement get a 501
 * and are listed by {@link #unhandledCalls()}.
 *
 * <pre>{@code
 * try (FakeGcsServer gcs = FakeGcsServer.start()) {
 *   FileSystems.setDefaultPipelineOptions(gcs.pipelineOptions());
 *   ... gs://any-bucket/... now reaches the fake ...
 * }
 * }</pre>
 *
 * Give tests using it a timeout: Beam retries failed calls with backoff for minutes.
 */
public final class FakeGcsServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads;
  private final GcsObjectStore store = new GcsObjectStore();
  private final FakeGcsApi api;

  private FakeGcsServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
    this.api = new FakeGcsApi(store, host());
    server.createContext("/", this::serve);
  }

  public static FakeGcsServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // Beam sends batches and uploads from several threads at once
    ExecutorService threads = Executors.newFixedThreadPool(8);
    server.setExecutor(threads);
    FakeGcsServer fake = new FakeGcsServer(server, threads);
    server.start();
    return fake;
  }

  /** {@code http://127.0.0.1:PORT}, the google-cloud-storage client's host. */
  public String host() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The value of Beam's {@code --gcsEndpoint}. */
  public String gcsEndpoint() {
    return host() + "/storage/v1/";
  }

  /** Pipeline arguments that point Beam's GCS filesystem here, without credentials. */
  public String[] pipelineArgs() {
    return new String[] {
        "--gcsEndpoint=" + gcsEndpoint(),
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
    };
  }

  public GcsOptions pipelineOptions() {
    return PipelineOptionsFactory.fromArgs(pipelineArgs()).as(GcsOptions.class);
  }

  /** A google-cloud-storage client for this fake that fails at once instead of retrying. */
  public Storage storageClient() {
    return StorageOptions.newBuilder()
        .setHost(host())
        .setProjectId("test")
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build())
        .build()
        .getService();
  }

  /** Calls answered 501, e.g. {@code PATCH /storage/v1/b/x/o/y}. */
  public List<String> unhandledCalls() {
    return api.unhandled();
  }

  /**
   * Every call served so far, batch members included, as {@code STATUS METHOD /path {query}},
   * e.g. {@code 200 GET /storage/v1/b/x/o/y {alt=media}}.
   */
  public List<String> calls() {
    return api.calls();
  }

  /** The object's bytes, or null when there is none. */
  public byte[] objectBytes(String bucket, String name) {
    return store.get(bucket, name).map(StoredObject::data).orElse(null);
  }

  /** Names in {@code bucket}, in order. */
  public List<String> objectNames(String bucket) {
    return store.list(bucket, "").stream().map(StoredObject::name).toList();
  }

  /** Seeds an object, as if uploaded. */
  public void putObject(String bucket, String name, byte[] data, String contentType) {
    try {
      store.put(new NewObject(bucket, name, contentType, null, Map.of()), data, null);
    } catch (PreconditionFailed e) {
      throw new IllegalStateException("an unconditional put cannot fail", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      FakeGcsResponse response = api.handle(FakeGcsRequest.parse(exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null
              ? "" : "?" + exchange.getRequestURI().getRawQuery()),
          headers, body(exchange, headers)));
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      boolean noBody = response.body().length == 0;
      exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      System.err.println("FakeGcsServer: failed serving " + exchange.getRequestMethod() + " "
          + exchange.getRequestURI() + ": " + e);
      throw e;
    }
  }

  /** The request body, un-gzipped when the client compressed it (the API clients do for JSON). */
  private static byte[] body(HttpExchange exchange, Map<String, String> headers)
      throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(headers.getOrDefault("Content-Encoding", "").trim())) {
      in = new GZIPInputStream(in);
    }
    return in.readAllBytes();
  }
}
