package magicvideo.transforms.outputs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.Random;
import org.junit.Test;

public class OutputLayoutTest {
  @Test
  public void pathsFollowTheDocumentedLayoutWithOrWithoutTrailingSlash() {
    OutputLayout local = OutputLayout.at("/data/out/");
    OutputLayout bucket = OutputLayout.at("gs://bucket/run");

    assertEquals("/data/out/manifest/r1", local.manifestPrefix("r1"));
    assertEquals("/data/out/failures/*.jsonl", local.failuresPattern());
    assertEquals("/data/out/run.json", local.runRecord());
    assertEquals("gs://bucket/run/index.html", bucket.gallery());
    assertEquals(
        "gs://bucket/run/videos/00003/a..b.mp4",
        bucket.resolve(OutputLayout.videoPath("00003", "a..b", "mp4")));
    assertEquals("tensors/00003/a.safetensors", OutputLayout.tensorsPath("00003", "a"));
  }

  @Test
  public void filesOfARunAreToldApartFromRunsWithALongerId() {
    assertTrue(OutputLayout.isFileOfRun("r1-00000-of-00002.jsonl", "r1"));
    assertTrue(OutputLayout.isFileOfRun("r1-b-00001-of-00002.jsonl", "r1-b"));
    assertFalse(OutputLayout.isFileOfRun("r1-b-00001-of-00002.jsonl", "r1"));
    assertFalse(OutputLayout.isFileOfRun("r1-00000-of-00002.json", "r1"));
  }

  @Test
  public void resolveRefusesPathsThatLeaveTheOutputFolder() {
    OutputLayout layout = OutputLayout.at("/data/out");

    assertThrows(IllegalArgumentException.class, () -> layout.resolve("../x.mp4"));
    assertThrows(IllegalArgumentException.class, () -> layout.resolve("videos/../../x.mp4"));
    assertThrows(IllegalArgumentException.class, () -> layout.resolve("/etc/passwd"));
    assertThrows(IllegalArgumentException.class, () -> OutputLayout.at("  "));
  }

  @Test
  public void runIdsAreSafeFilePrefixesAndDistinct() {
    Random random = new Random(1);
    Instant start = Instant.parse("2025-03-01T14:25:01Z");

    String first = RunIds.generate(start, random);
    String second = RunIds.generate(start, random);

    assertEquals("20250301-142501-", first.substring(0, 16));
    assertEquals(first, RunIds.checked(first));
    assertNotEquals(first, second);
    assertThrows(IllegalArgumentException.class, () -> RunIds.checked("../r"));
    assertThrows(IllegalArgumentException.class, () -> RunIds.checked("r*"));
  }
}
