package magicvideo.transforms.gcs;

import static magicvideo.transforms.gcs.FakeGcsResponse.error;
import static magicvideo.transforms.gcs.FakeGcsResponse.json;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import magicvideo.transforms.gcs.GcsObjectStore.NewObject;
import magicvideo.transforms.gcs.GcsObjectStore.PreconditionFailed;
import magicvideo.transforms.gcs.GcsObjectStore.StoredObject;
import magicvideo.transforms.gcs.GcsObjectStore.UploadSession;

/**
 * The three upload protocols of {@code /upload/storage/v1/b/BUCKET/o}: {@code uploadType=media}
 * (bytes only, name in the query), {@code multipart} (JSON metadata part + media part) and
 * {@code resumable} (a POST opens a session whose URI the client PUTs chunks to, each with a
 * Content-Range; 308 with a Range header acknowledges a partial upload).
 */
final class GcsUploads {

  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");

  private final GcsObjectStore store;
  private final String baseUrl;

  GcsUploads(GcsObjectStore store, String baseUrl) {
    this.store = store;
    this.baseUrl = baseUrl;
  }

  FakeGcsResponse start(FakeGcsRequest r, String bucket) throws PreconditionFailed {
    String uploadType = r.query().getOrDefault("uploadType", "");
    String name = r.query().get("name");
    Long ifGenerationMatch = longParam(r, "ifGenerationMatch");
    switch (uploadType) {
      case "media": {
        NewObject target = new NewObject(bucket, name, r.header("Content-Type"), null, Map.of());
        return stored(store.put(target, r.body(), ifGenerationMatch));
      }
      case "multipart": {
        List<Multipart.Part> parts =
            Multipart.parse(r.body(), Multipart.boundary(r.header("Content-Type")));
        if (parts.size() != 2) {
          return error(400, "invalid", "multipart upload needs 2 parts, got " + parts.size());
        }
        NewObject target = GcsJson.newObject(parts.get(0).body(), bucket, name,
            parts.get(1).header("Content-Type"));
        return stored(store.put(target, parts.get(1).body(), ifGenerationMatch));
      }
      case "resumable": {
        NewObject target = GcsJson.newObject(r.body(), bucket, name,
            r.header("X-Upload-Content-Type"));
        String id = store.startUpload(target, ifGenerationMatch);
        String location = baseUrl + "/upload/storage/v1/b/" + bucket
            + "/o?uploadType=resumable&upload_id=" + id;
        return FakeGcsResponse.empty(200).withHeaders(Map.of("Location", location));
      }
      default:
        return error(400, "invalid", "unknown uploadType '" + uploadType + "'");
    }
  }

  /** A PUT to a session URI: a chunk, the last chunk, or a status query ({@code bytes * /N}). */
  FakeGcsResponse resume(FakeGcsRequest r) throws PreconditionFailed {
    String id = r.query().get("upload_id");
    UploadSession session = store.session(id).orElse(null);
    if (session == null) {
      return error(404, "notFound", "No resumable upload session " + id);
    }
    synchronized (session) {
      if (session.result != null) {
        return stored(session.result);
      }
      String range = r.header("Content-Range");
      long total;
      if (range == null) {
        // the whole object in one PUT
        session.received.writeBytes(r.body());
        total = session.received.size();
      } else {
        Matcher m = CONTENT_RANGE.matcher(range.trim());
        if (!m.matches()) {
          return error(400, "invalid", "Bad Content-Range '" + range + "'");
        }
        if (m.group(1) != null) {
          long first = Long.parseLong(m.group(1));
          long have = session.received.size();
          if (first > have) {
            return error(400, "invalid", "Chunk starts at " + first + " but only " + have
                + " bytes were received");
          }
          // a retried chunk may overlap what was already stored: keep only the new tail
          byte[] body = r.body();
          session.received.writeBytes(Arrays.copyOfRange(body,
              (int) Math.min(body.length, have - first), body.length));
        }
        total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
      }
      if (total >= 0 && session.received.size() == total) {
        session.result = store.put(session.target, session.received.toByteArray(),
            session.ifGenerationMatch);
        return stored(session.result);
      }
      FakeGcsResponse incomplete = FakeGcsResponse.empty(308);
      return session.received.size() == 0 ? incomplete : incomplete.withHeaders(
          Map.of("Range", "bytes=0-" + (session.received.size() - 1)));
    }
  }

  FakeGcsResponse cancel(FakeGcsRequest r) {
    store.cancelUpload(r.query().get("upload_id"));
    return FakeGcsResponse.empty(499);
  }

  private FakeGcsResponse stored(StoredObject o) {
    return json(200, GcsJson.object(o, baseUrl));
  }

  static Long longParam(FakeGcsRequest r, String name) {
    String value = r.query().get(name);
    return value == null ? null : Long.valueOf(value);
  }
}
