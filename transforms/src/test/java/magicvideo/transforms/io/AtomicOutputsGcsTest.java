package magicvideo.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import magicvideo.transforms.gcs.FakeGcsServer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/** AtomicOutputs through Beam's GCS filesystem, against the in-process fake. */
public class AtomicOutputsGcsTest {

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
  public void writeRenamesATemporaryObjectIntoPlace() throws Exception {
    byte[] data = "video bytes".getBytes(StandardCharsets.UTF_8);
    WrittenFile written = AtomicOutputs.write("gs://out/videos/0/id.mp4", "video/mp4", data);

    assertEquals(new WrittenFile("gs://out/videos/0/id.mp4", data.length,
        AtomicOutputsTest.sha256(data)), written);
    assertEquals(List.of("videos/0/id.mp4"), gcs.objectNames("out"));
    // uploaded under a hidden temporary name, then copied server-side into place
    assertThat(gcs.calls(), hasItem(startsWith(
        "200 POST /storage/v1/b/out/o/videos/0/" + AtomicOutputs.TEMP_PREFIX)));
    assertArrayEquals(data, AtomicOutputs.readBytes("gs://out/videos/0/id.mp4"));
    assertTrue(AtomicOutputs.exists("gs://out/videos/0/id.mp4"));
    assertEquals(data.length, AtomicOutputs.sizeOf("gs://out/videos/0/id.mp4"));
    assertFalse(AtomicOutputs.exists("gs://out/videos/0/other.mp4"));
    assertThat(gcs.unhandledCalls(), empty());
  }

  @Test
  public void failedWriteLeavesNoObject() {
    assertThrows(IOException.class, () -> AtomicOutputs.write("gs://out/id.mp4", "video/mp4",
        out -> {
          out.write(new byte[100]);
          throw new IOException("encoder died");
        }));
    assertNull(gcs.objectBytes("out", "id.mp4"));
    assertEquals(List.of(), gcs.objectNames("out"));
    assertThat(gcs.unhandledCalls(), empty());
  }
}
