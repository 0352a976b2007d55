package magicvideo.transforms.gcs;

import static magicvideo.transforms.gcs.FakeGcsResponse.error;
import static magicvideo.transforms.gcs.FakeGcsResponse.json;
import static magicvideo.transforms.gcs.GcsUploads.longParam;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import magicvideo.transforms.gcs.GcsObjectStore.NewObject;
import magicvideo.transforms.gcs.GcsObjectStore.PreconditionFailed;
import magicvideo.transforms.gcs.GcsObjectStore.StoredObject;

/**
 * Routes JSON API calls to the store. Anything it does not implement is answered 501 and
 * remembered, so a test can show which call a client made that the fake lacks.
 */
final class FakeGcsApi {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final int DEFAULT_PAGE_SIZE = 1000;

  private final GcsObjectStore store;
  private final GcsUploads uploads;
  private final String baseUrl;
  private final List<String> unhandled = Collections.synchronizedList(new ArrayList<>());
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  FakeGcsApi(GcsObjectStore store, String baseUrl) {
    this.store = store;
    this.baseUrl = baseUrl;
    this.uploads = new GcsUploads(store, baseUrl);
  }

  List<String> unhandled() {
    return List.copyOf(unhandled);
  }

  List<String> calls() {
    return List.copyOf(calls);
  }

  FakeGcsResponse handle(FakeGcsRequest r) {
    FakeGcsResponse response;
    try {
      response = route(r);
    } catch (PreconditionFailed e) {
      response = error(412, "conditionNotMet", e.getMessage());
    } catch (RuntimeException e) {
      response = error(400, "invalid", "Fake GCS could not serve " + r.describe() + ": " + e);
    }
    calls.add(response.status() + " " + r.describe());
    return response;
  }

  private FakeGcsResponse route(FakeGcsRequest r) throws PreconditionFailed {
    String m = r.method();
    if (m.equals("POST") && (r.pathIs("batch", "storage", "v1") || r.pathIs("batch"))) {
      return GcsBatch.handle(r, this::handle);
    }
    if (r.pathIs("upload", "storage", "v1", "b", "*", "o")) {
      switch (m) {
        case "POST":
          return r.query().containsKey("upload_id") ? uploads.resume(r)
              : uploads.start(r, r.segment(4));
        case "PUT":
          return uploads.resume(r);
        case "DELETE":
          return uploads.cancel(r);
        default:
          break;
      }
    }
    if (m.equals("GET") && r.pathIs("download", "storage", "v1", "b", "*", "o", "*")) {
      return media(r, r.segment(4), r.segment(6));
    }
    if (!r.pathIs("storage", "v1", "b", "*") && !startsWithObjectsOf(r)) {
      return notImplemented(r);
    }
    String bucket = r.segment(3);
    if (m.equals("GET") && r.pathIs("storage", "v1", "b", "*")) {
      return json(200, GcsJson.bucket(bucket, baseUrl));
    }
    if (m.equals("GET") && r.pathIs("storage", "v1", "b", "*", "o")) {
      return list(r, bucket);
    }
    if (r.pathIs("storage", "v1", "b", "*", "o", "*")) {
      String name = r.segment(5);
      switch (m) {
        case "GET":
          return "media".equals(r.query().get("alt")) ? media(r, bucket, name)
              : withObject(r, bucket, name, o -> json(200, GcsJson.object(o, baseUrl)));
        case "DELETE":
          return store.delete(bucket, name) ? FakeGcsResponse.empty(204)
              : notFound(bucket, name);
        default:
          return notImplemented(r);
      }
    }
    if (m.equals("POST") && r.pathIs("storage", "v1", "b", "*", "o", "*", "rewriteTo", "b", "*",
        "o", "*")) {
      return copy(r, true);
    }
    if (m.equals("POST") && r.pathIs("storage", "v1", "b", "*", "o", "*", "copyTo", "b", "*",
        "o", "*")) {
      return copy(r, false);
    }
    if (m.equals("POST") && r.pathIs("storage", "v1", "b", "*", "o", "*", "compose")) {
      return compose(r, bucket, r.segment(5));
    }
    return notImplemented(r);
  }

  private static boolean startsWithObjectsOf(FakeGcsRequest r) {
    return r.segments().size() >= 5 && r.segment(0).equals("storage") && r.segment(1).equals("v1")
        && r.segment(2).equals("b") && r.segment(4).equals("o");
  }

  /** objects.list: names with a prefix, rolled up at the delimiter, in pages of maxResults. */
  private FakeGcsResponse list(FakeGcsRequest r, String bucket) {
    String prefix = r.query().getOrDefault("prefix", "");
    String delimiter = r.query().get("delimiter");
    String pageToken = r.query().get("pageToken");
    int pageSize = Integer.parseInt(
        r.query().getOrDefault("maxResults", Integer.toString(DEFAULT_PAGE_SIZE)));
    // objects and rolled-up prefixes in one name order, so one token pages through both
    TreeMap<String, StoredObject> entries = new TreeMap<>();
    for (StoredObject o : store.list(bucket, prefix)) {
      int cut = delimiter == null ? -1 : o.name().indexOf(delimiter, prefix.length());
      entries.put(cut < 0 ? o.name() : o.name().substring(0, cut + delimiter.length()),
          cut < 0 ? o : null);
    }
    List<Object> items = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    for (Map.Entry<String, StoredObject> e :
        (pageToken == null ? entries : entries.tailMap(pageToken, false)).entrySet()) {
      if (items.size() + prefixes.size() == pageSize) {
        break;
      }
      if (e.getValue() == null) {
        prefixes.add(e.getKey());
      } else {
        items.add(GcsJson.object(e.getValue(), baseUrl));
      }
      last = e.getKey();
    }
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("kind", "storage#objects");
    if (last != null && entries.higherKey(last) != null) {
      page.put("nextPageToken", last);
    }
    if (!prefixes.isEmpty()) {
      page.put("prefixes", prefixes);
    }
    page.put("items", items);
    return json(200, page);
  }

  /** alt=media: the object's bytes, all of them or one Range. */
  private FakeGcsResponse media(FakeGcsRequest r, String bucket, String name) {
    return withObject(r, bucket, name, o -> {
      byte[] data = o.data();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", o.contentType());
      headers.put("x-goog-generation", Long.toString(o.generation()));
      headers.put("x-goog-metageneration", "1");
      headers.put("x-goog-hash", "crc32c=" + o.crc32c() + ",md5=" + o.md5());
      headers.put("x-goog-stored-content-length", Integer.toString(data.length));
      headers.put("x-goog-stored-content-encoding",
          o.contentEncoding() == null ? "identity" : o.contentEncoding());
      headers.put("ETag", "CN" + o.generation());
      String range = r.header("Range");
      if (range == null || data.length == 0) {
        return new FakeGcsResponse(200, headers, data);
      }
      Matcher m = RANGE.matcher(range.trim());
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        return error(400, "invalid", "Unsupported Range '" + range + "'");
      }
      long first;
      long last;
      if (m.group(1).isEmpty()) { // bytes=-N: the last N bytes
        first = Math.max(0, data.length - Long.parseLong(m.group(2)));
        last = data.length - 1;
      } else {
        first = Long.parseLong(m.group(1));
        last = m.group(2).isEmpty() ? data.length - 1
            : Math.min(data.length - 1, Long.parseLong(m.group(2)));
      }
      if (first >= data.length) {
        return error(416, "requestedRangeNotSatisfiable",
            "Range " + range + " starts past the end of " + data.length + " bytes");
      }
      headers.put("Content-Range", "bytes " + first + "-" + last + "/" + data.length);
      return new FakeGcsResponse(206, headers,
          Arrays.copyOfRange(data, (int) first, (int) last + 1));
    });
  }

  /** rewriteTo (answers a finished rewriteResponse) and copyTo (answers the new object). */
  private FakeGcsResponse copy(FakeGcsRequest r, boolean rewrite) throws PreconditionFailed {
    String srcBucket = r.segment(3);
    String srcName = r.segment(5);
    Optional<StoredObject> source = store.get(srcBucket, srcName);
    if (source.isEmpty()) {
      return notFound(srcBucket, srcName);
    }
    StoredObject src = source.get();
    Long ifSourceGeneration = longParam(r, "ifSourceGenerationMatch");
    if (ifSourceGeneration != null && ifSourceGeneration != src.generation()) {
      throw new PreconditionFailed("ifSourceGenerationMatch=" + ifSourceGeneration + " but "
          + srcBucket + "/" + srcName + " has generation " + src.generation());
    }
    NewObject requested = GcsJson.newObject(r.body(), r.segment(8), r.segment(10),
        src.contentType());
    NewObject target = new NewObject(r.segment(8), r.segment(10), requested.contentType(),
        requested.contentEncoding() != null ? requested.contentEncoding() : src.contentEncoding(),
        requested.metadata().isEmpty() ? src.metadata() : requested.metadata());
    StoredObject copied = store.put(target, src.data(), longParam(r, "ifGenerationMatch"));
    Map<String, Object> object = GcsJson.object(copied, baseUrl);
    if (!rewrite) {
      return json(200, object);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("kind", "storage#rewriteResponse");
    response.put("totalBytesRewritten", Integer.toString(src.data().length));
    response.put("objectSize", Integer.toString(src.data().length));
    response.put("done", true);
    response.put("resource", object);
    return json(200, response);
  }

  /** compose: the concatenation of sourceObjects (same bucket) under the destination name. */
  private FakeGcsResponse compose(FakeGcsRequest r, String bucket, String name)
      throws PreconditionFailed {
    JsonNode request = GcsJson.read(r.body());
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (JsonNode source : request.path("sourceObjects")) {
      String sourceName = source.get("name").asText();
      Optional<StoredObject> part = store.get(bucket, sourceName);
      if (part.isEmpty()) {
        return notFound(bucket, sourceName);
      }
      data.writeBytes(part.get().data());
    }
    NewObject target = GcsJson.newObject(request.get("destination"), bucket, name, null);
    StoredObject composed = store.put(
        new NewObject(bucket, name, target.contentType(), target.contentEncoding(),
            target.metadata()),
        data.toByteArray(), longParam(r, "ifGenerationMatch"));
    return json(200, GcsJson.object(composed, baseUrl));
  }

  /** Answers with {@code found} for the object, 404 when absent or not the asked generation. */
  private FakeGcsResponse withObject(FakeGcsRequest r, String bucket, String name,
      Function<StoredObject, FakeGcsResponse> found) {
    Long generation = longParam(r, "generation");
    return store.get(bucket, name)
        .filter(o -> generation == null || o.generation() == generation)
        .map(found)
        .orElseGet(() -> notFound(bucket, name));
  }

  private static FakeGcsResponse notFound(String bucket, String name) {
    return error(404, "notFound", "No such object: " + bucket + "/" + name);
  }

  private FakeGcsResponse notImplemented(FakeGcsRequest r) {
    String call = r.describe();
    unhandled.add(call);
    System.err.println("FakeGcsServer: 501 for unimplemented call " + call);
    return error(501, "notImplemented", "FakeGcsServer does not implement " + call);
  }
}
