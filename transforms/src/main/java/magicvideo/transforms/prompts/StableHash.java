package magicvideo.transforms.prompts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of text, the one hash behind derived ids, seeds and shards: the same on every JVM, runner
 * and run (unlike {@code Object.hashCode} of most types), so reruns reproduce them.
 */
final class StableHash {
  private StableHash() {}

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /** The first 8 bytes of the SHA-256 of {@code text}, big-endian. */
  static long firstLong(String text) {
    return ByteBuffer.wrap(sha256(text)).getLong();
  }
}
