package magicvideo.transforms.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Whole-file writes and reads on any Beam filesystem (local paths, {@code gs://}, whatever
 * {@link FileSystems} has registered). A write goes to a hidden temporary name in the target's
 * directory ({@code .tmp-<uuid>-<name>}) and is then renamed, so a reader, a rerun's
 * {@code --resume} check or a crash never sees a partial file under the final name. A failed
 * write deletes its temporary file. A write replaces an existing file of the same name.
 *
 * <p>On GCS a rename is a server-side copy plus a delete; uploads are already atomic there, but
 * the same path keeps local and mounted filesystems safe. Paths must not contain glob wildcards.
 */
public final class AtomicOutputs {

  /** Prefix of the temporary names; listings of an output directory can skip these. */
  public static final String TEMP_PREFIX = ".tmp-";

  private AtomicOutputs() {}

  /** Writes something that may take long or fail midway, e.g. a manifest streamed line by line. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  public static WrittenFile write(String path, String mimeType, byte[] bytes) throws IOException {
    return write(path, mimeType, out -> out.write(bytes));
  }

  public static WrittenFile write(String path, String mimeType, Content content)
      throws IOException {
    ResourceId target = resource(path);
    ResourceId temp = target.getCurrentDirectory().resolve(
        TEMP_PREFIX + UUID.randomUUID() + "-" + target.getFilename(),
        StandardResolveOptions.RESOLVE_FILE);
    try {
      MessageDigest sha256 = sha256();
      CountingOutputStream counted;
      try (WritableByteChannel channel = FileSystems.create(temp,
              CreateOptions.StandardCreateOptions.builder().setMimeType(mimeType).build());
          OutputStream out = Channels.newOutputStream(channel)) {
        counted = new CountingOutputStream(new DigestOutputStream(out, sha256));
        content.writeTo(counted);
        counted.flush();
      }
      FileSystems.rename(List.of(temp), List.of(target));
      return new WrittenFile(target.toString(), counted.count,
          HexFormat.of().formatHex(sha256.digest()));
    } catch (IOException | RuntimeException e) {
      deleteAfterFailure(temp, e);
      throw e;
    }
  }

  public static byte[] readBytes(String path) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource(path)))) {
      return in.readAllBytes();
    }
  }

  public static boolean exists(String path) throws IOException {
    checkNoWildcard(path);
    MatchResult match = FileSystems.match(path);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
  }

  /** Size in bytes; {@link FileNotFoundException} when there is no such file. */
  public static long sizeOf(String path) throws IOException {
    checkNoWildcard(path);
    return FileSystems.matchSingleFileSpec(path).sizeBytes();
  }

  private static ResourceId resource(String path) {
    checkNoWildcard(path);
    return FileSystems.matchNewResource(path, false);
  }

  private static void checkNoWildcard(String path) {
    if (FileSystems.hasGlobWildcard(path)) {
      throw new IllegalArgumentException("Output path must not contain * ? [ or {: " + path);
    }
  }

  private static void deleteAfterFailure(ResourceId temp, Exception failure) {
    try {
      FileSystems.delete(List.of(temp), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  /** Counts the bytes written through it; the byte count goes into {@link WrittenFile}. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
