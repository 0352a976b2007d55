package magicvideo.transforms.gcs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/** Beam's real GCS filesystem (GcsUtil, gcsio, the apiary client) against the fake. */
public class FakeGcsBeamTest {

  @Rule public final Timeout timeout = Timeout.seconds(60);

  private FakeGcsServer gcs;

  @Before
  public void startFake() throws IOException {
    gcs = FakeGcsServer.start();
    FileSystems.setDefaultPipelineOptions(gcs.pipelineOptions());
  }

  @After
  public void stopFake() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    gcs.close();
  }

  @Test
  public void createReadMatchRenameDelete() throws IOException {
    byte[] data = randomBytes(1000, 1);
    write("gs://bucket/dir/a.bin", data);
    write("gs://bucket/dir/b.bin", randomBytes(10, 2));
    write("gs://bucket/dir/sub/c.txt", randomBytes(10, 3));
    assertArrayEquals(data, gcs.objectBytes("bucket", "dir/a.bin"));
    assertArrayEquals(data, read("gs://bucket/dir/a.bin"));

    MatchResult match = FileSystems.match("gs://bucket/dir/*.bin");
    assertThat(match.metadata().stream().map(m -> m.resourceId().toString()).toList(),
        contains("gs://bucket/dir/a.bin", "gs://bucket/dir/b.bin"));
    assertEquals(1000, FileSystems.matchSingleFileSpec("gs://bucket/dir/a.bin").sizeBytes());

    FileSystems.rename(List.of(id("gs://bucket/dir/a.bin")), List.of(id("gs://bucket/x/a.bin")));
    assertNull(gcs.objectBytes("bucket", "dir/a.bin"));
    assertArrayEquals(data, gcs.objectBytes("bucket", "x/a.bin"));

    FileSystems.delete(List.of(id("gs://bucket/x/a.bin"), id("gs://bucket/dir/b.bin")));
    assertEquals(List.of("dir/sub/c.txt"), gcs.objectNames("bucket"));
    assertThat(gcs.unhandledCalls(), empty());
  }

  @Test
  public void chunkedUploadAndSeekingRead() throws IOException {
    GcsOptions options = gcs.pipelineOptions();
    options.setGcsUploadBufferSizeBytes(256 * 1024); // the smallest chunk GCS accepts
    FileSystems.setDefaultPipelineOptions(options);
    byte[] data = randomBytes(700_000, 4);
    write("gs://bucket/big.bin", data);
    assertThat(gcs.calls().stream().filter(c -> c.startsWith("308 PUT")).count(),
        greaterThanOrEqualTo(2L));

    try (SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(
        id("gs://bucket/big.bin"))) {
      assertEquals(700_000, channel.size());
      channel.position(650_000);
      ByteBuffer slice = ByteBuffer.allocate(1000);
      while (slice.hasRemaining() && channel.read(slice) >= 0) {
        // fill the buffer
      }
      assertArrayEquals(Arrays.copyOfRange(data, 650_000, 651_000), slice.array());
    }
    assertThat(gcs.unhandledCalls(), empty());
  }

  private static void write(String path, byte[] data) throws IOException {
    try (WritableByteChannel channel = FileSystems.create(id(path), "application/octet-stream");
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(data);
    }
  }

  private static byte[] read(String path) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(id(path)))) {
      return in.readAllBytes();
    }
  }

  private static ResourceId id(String path) {
    return FileSystems.matchNewResource(path, false);
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
