package magicvideo.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** AtomicOutputs on the local filesystem; {@link AtomicOutputsGcsTest} runs it against GCS. */
public class AtomicOutputsTest {

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void writesTheWholeFileAndReportsItsSha256() throws Exception {
    byte[] data = "a complete video".getBytes(StandardCharsets.UTF_8);
    String path = folder.getRoot() + "/videos/shard-0/id.mp4"; // directories made on the way
    WrittenFile written = AtomicOutputs.write(path, "video/mp4", data);

    assertEquals(new WrittenFile(path, data.length, sha256(data)), written);
    assertArrayEquals(data, AtomicOutputs.readBytes(path));
    assertTrue(AtomicOutputs.exists(path));
    assertEquals(data.length, AtomicOutputs.sizeOf(path));
    assertEquals(List.of("id.mp4"), namesIn(folder.getRoot().toPath().resolve("videos/shard-0")));
  }

  @Test
  public void finalNameShowsOnlyCompleteVersionsWhileWriting() throws Exception {
    String path = folder.getRoot() + "/manifest.jsonl";
    AtomicOutputs.write(path, "application/json", "old\n".getBytes(StandardCharsets.UTF_8));
    AtomicOutputs.write(path, "application/json", out -> {
      out.write("new line 1\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      // half written: the final name still holds the previous complete file
      assertEquals("old\n", new String(AtomicOutputs.readBytes(path), StandardCharsets.UTF_8));
      out.write("new line 2\n".getBytes(StandardCharsets.UTF_8));
    });
    assertEquals("new line 1\nnew line 2\n",
        new String(AtomicOutputs.readBytes(path), StandardCharsets.UTF_8));
    assertEquals(List.of("manifest.jsonl"), namesIn(folder.getRoot().toPath()));
  }

  @Test
  public void failedWriteLeavesNothing() throws Exception {
    String path = folder.getRoot() + "/out/id.mp4";
    IOException failure = assertThrows(IOException.class,
        () -> AtomicOutputs.write(path, "video/mp4", out -> {
          out.write(new byte[1000]);
          throw new IOException("encoder died");
        }));
    assertEquals("encoder died", failure.getMessage());
    assertFalse(AtomicOutputs.exists(path));
    assertEquals(List.of(), namesIn(folder.getRoot().toPath().resolve("out")));
  }

  @Test
  public void missingFilesAndWildcards() throws Exception {
    String missing = folder.getRoot() + "/none.mp4";
    assertFalse(AtomicOutputs.exists(missing));
    assertThrows(FileNotFoundException.class, () -> AtomicOutputs.sizeOf(missing));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AtomicOutputs.write(folder.getRoot() + "/*.mp4", "video/mp4", new byte[1]));
    assertThat(e.getMessage(), containsString("*.mp4"));
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static List<String> namesIn(Path dir) throws IOException {
    if (!new File(dir.toString()).exists()) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
