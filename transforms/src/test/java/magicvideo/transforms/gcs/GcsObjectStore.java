package magicvideo.transforms.gcs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * The fake's buckets: objects by bucket and name, in memory, with GCS's generation numbers (each
 * write of a name gets a new, larger one) and the resumable upload sessions in progress.
 * Buckets exist as soon as they are named.
 */
final class GcsObjectStore {

  record StoredObject(
      String bucket, String name, byte[] data, String contentType, String contentEncoding,
      Map<String, String> metadata, long generation, Instant created) {

    String crc32c() {
      CRC32C crc = new CRC32C();
      crc.update(data);
      return Base64.getEncoder().encodeToString(
          ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    String md5() {
      try {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("Every Java platform has MD5", e);
      }
    }
  }

  /** Metadata a client sends with an upload, a copy or a compose. */
  record NewObject(
      String bucket, String name, String contentType, String contentEncoding,
      Map<String, String> metadata) {}

  /** A resumable upload: the object to create and the bytes received so far. */
  static final class UploadSession {
    final NewObject target;
    final Long ifGenerationMatch;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    StoredObject result;

    UploadSession(NewObject target, Long ifGenerationMatch) {
      this.target = target;
      this.ifGenerationMatch = ifGenerationMatch;
    }
  }

  /** A write refused because the generation precondition did not hold (HTTP 412). */
  static final class PreconditionFailed extends Exception {
    PreconditionFailed(String message) {
      super(message);
    }
  }

  private final NavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();
  private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);

  Optional<StoredObject> get(String bucket, String name) {
    return Optional.ofNullable(objects.get(key(bucket, name)));
  }

  /**
   * Stores {@code data} under the object's name. {@code ifGenerationMatch} (may be null) must equal
   * the current generation, 0 meaning "must not exist yet".
   */
  synchronized StoredObject put(NewObject object, byte[] data, Long ifGenerationMatch)
      throws PreconditionFailed {
    checkGeneration(object.bucket(), object.name(), ifGenerationMatch);
    StoredObject stored = new StoredObject(object.bucket(), object.name(), data.clone(),
        object.contentType() == null ? "application/octet-stream" : object.contentType(),
        object.contentEncoding(), Map.copyOf(object.metadata()),
        generations.incrementAndGet(), Instant.now());
    objects.put(key(object.bucket(), object.name()), stored);
    return stored;
  }

  synchronized boolean delete(String bucket, String name) {
    return objects.remove(key(bucket, name)) != null;
  }

  /** Objects of {@code bucket} whose names start with {@code prefix}, in name order. */
  List<StoredObject> list(String bucket, String prefix) {
    String from = key(bucket, prefix);
    return objects.tailMap(from, true).entrySet().stream()
        .takeWhile(e -> e.getKey().startsWith(from))
        .map(Map.Entry::getValue)
        .toList();
  }

  String startUpload(NewObject target, Long ifGenerationMatch) {
    String id = UUID.randomUUID().toString();
    sessions.put(id, new UploadSession(target, ifGenerationMatch));
    return id;
  }

  Optional<UploadSession> session(String id) {
    return Optional.ofNullable(sessions.get(id));
  }

  void cancelUpload(String id) {
    sessions.remove(id);
  }

  private void checkGeneration(String bucket, String name, Long ifGenerationMatch)
      throws PreconditionFailed {
    if (ifGenerationMatch == null) {
      return;
    }
    long current = get(bucket, name).map(StoredObject::generation).orElse(0L);
    if (current != ifGenerationMatch) {
      throw new PreconditionFailed("ifGenerationMatch=" + ifGenerationMatch + " but " + bucket
          + "/" + name + " has generation " + current);
    }
  }

  // '\0' cannot occur in bucket names, so one bucket's keys form a contiguous range
  private static String key(String bucket, String name) {
    return bucket + '\0' + name;
  }
}
