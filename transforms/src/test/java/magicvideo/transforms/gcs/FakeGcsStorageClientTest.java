package magicvideo.transforms.gcs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/** The google-cloud-storage client (JSON over HTTP) against the fake. */
public class FakeGcsStorageClientTest {

  @Rule public final Timeout timeout = Timeout.seconds(60);

  private FakeGcsServer gcs;
  private Storage storage;

  @Before
  public void startFake() throws IOException {
    gcs = FakeGcsServer.start();
    storage = gcs.storageClient();
  }

  @After
  public void stopFake() throws Exception {
    storage.close();
    gcs.close();
  }

  @Test
  public void createReadAndDelete() {
    byte[] data = randomBytes(5000, 1);
    Blob blob = storage.create(BlobInfo.newBuilder("bucket", "a/b c.bin")
        .setContentType("video/mp4").build(), data);
    assertEquals(5000L, (long) blob.getSize());
    assertEquals("video/mp4", storage.get(BlobId.of("bucket", "a/b c.bin")).getContentType());
    assertArrayEquals(data, storage.readAllBytes(BlobId.of("bucket", "a/b c.bin")));
    assertArrayEquals(data, gcs.objectBytes("bucket", "a/b c.bin"));

    assertEquals(true, storage.delete(BlobId.of("bucket", "a/b c.bin")));
    assertEquals(false, storage.delete(BlobId.of("bucket", "a/b c.bin")));
    assertNull(storage.get(BlobId.of("bucket", "a/b c.bin")));
    assertThat(gcs.unhandledCalls(), empty());
  }

  @Test
  public void resumableWriterAndRangedReader() throws IOException {
    byte[] data = randomBytes(700_000, 2);
    try (WriteChannel writer = storage.writer(BlobInfo.newBuilder("bucket", "big.bin").build())) {
      writer.setChunkSize(256 * 1024); // three chunks
      writer.write(ByteBuffer.wrap(data));
    }
    assertArrayEquals(data, gcs.objectBytes("bucket", "big.bin"));

    try (ReadChannel reader = storage.reader(BlobId.of("bucket", "big.bin"))) {
      reader.seek(600_000);
      ByteBuffer slice = ByteBuffer.allocate(1000);
      while (slice.hasRemaining() && reader.read(slice) >= 0) {
        // fill the buffer
      }
      byte[] expected = new byte[1000];
      System.arraycopy(data, 600_000, expected, 0, 1000);
      assertArrayEquals(expected, slice.array());
    }
    assertThat(gcs.unhandledCalls(), empty());
  }

  @Test
  public void listByPrefixDirectoryAndPages() {
    for (String name : List.of("v/1.mp4", "v/2.mp4", "v/3.mp4", "v/sub/4.mp4", "w/5.mp4")) {
      storage.create(BlobInfo.newBuilder("bucket", name).build(), new byte[] {1});
    }
    Page<Blob> page = storage.list("bucket", BlobListOption.prefix("v/"),
        BlobListOption.pageSize(2));
    List<String> all = new ArrayList<>();
    page.iterateAll().forEach(b -> all.add(b.getName()));
    assertEquals(List.of("v/1.mp4", "v/2.mp4", "v/3.mp4", "v/sub/4.mp4"), all);

    Page<Blob> directory = storage.list("bucket", BlobListOption.prefix("v/"),
        BlobListOption.currentDirectory());
    assertThat(StreamSupport.stream(directory.getValues().spliterator(), false)
            .map(b -> b.getName() + (b.isDirectory() ? " (dir)" : "")).toList(),
        contains("v/1.mp4", "v/2.mp4", "v/3.mp4", "v/sub/ (dir)"));
    assertThat(gcs.unhandledCalls(), empty());
  }

  @Test
  public void copyAndCompose() {
    storage.create(BlobInfo.newBuilder("bucket", "part1").build(), new byte[] {1, 2});
    storage.create(BlobInfo.newBuilder("bucket", "part2").build(), new byte[] {3});
    storage.copy(Storage.CopyRequest.of("bucket", "part1", BlobId.of("other", "copy")))
        .getResult();
    assertArrayEquals(new byte[] {1, 2}, gcs.objectBytes("other", "copy"));
    storage.compose(Storage.ComposeRequest.newBuilder()
        .addSource("part1", "part2")
        .setTarget(BlobInfo.newBuilder("bucket", "whole").build())
        .build());
    assertArrayEquals(new byte[] {1, 2, 3}, storage.readAllBytes(BlobId.of("bucket", "whole")));
    assertThat(gcs.unhandledCalls(), empty());
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
