package magicvideo.transforms.outputs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RunRecordTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static RunRecord record() {
    Map<String, Object> parameters = new TreeMap<>();
    parameters.put("prompts", "/data/prompts.txt");
    parameters.put("steps", 25);
    parameters.put("guidance", 7.5);
    parameters.put("runSeed", 0L);
    parameters.put("resume", false);
    parameters.put("experiments", List.of("a", "b"));
    return new RunRecord(
        "20250301-142501-3fa9c2",
        "DONE",
        Instant.parse("2025-03-01T14:25:01Z"),
        Instant.parse("2025-03-01T14:26:31.500Z"),
        parameters,
        ManifestEntries.MODEL,
        Versions.current(),
        Map.of("videos_done", 6L, "videos_failed", 0L));
  }

  @Test
  public void jsonRoundTripsAndKeepsParametersFlatAndTyped() throws Exception {
    RunRecord record = record();

    String json = record.toJson();
    RunRecord read = RunRecord.fromJson(json, "run.json");

    assertEquals(record, read);
    JsonNode tree = OutputJson.MAPPER.readTree(json);
    JsonNode parameters = tree.get("parameters");
    assertTrue(parameters.get("steps").isInt());
    assertTrue(parameters.get("resume").isBoolean());
    assertTrue(parameters.get("experiments").isArray());
    assertEquals(90.5, tree.get("seconds").asDouble(), 1e-9);
    assertEquals("magicvideo-tiny-random", tree.get("model").get("name").asText());
    assertEquals(6, tree.get("counts").get("videos_done").asLong());
  }

  @Test
  public void versionsNameProjectBeamDjlAndJava() {
    Map<String, String> versions = Versions.current();

    assertEquals(List.of("magicvideo", "beam", "djl", "java"), List.copyOf(versions.keySet()));
    assertEquals("2.70.0", versions.get("beam"));
    assertEquals("0.36.0", versions.get("djl"));
    assertTrue(
        versions.get("magicvideo"), versions.get("magicvideo").matches("\\d+\\.\\d+\\.\\d+.*"));
  }

  @Test
  public void writeToReplacesTheRecordAtomicallyAndReadsBack() throws IOException {
    OutputLayout layout = OutputLayout.at(folder.getRoot().toString());
    Files.writeString(folder.getRoot().toPath().resolve("run.json"), "old");

    record().writeTo(layout);

    assertEquals(record(), RunRecord.readFrom(layout));
    try (Stream<Path> files = Files.list(folder.getRoot().toPath())) {
      assertEquals("no temporary file left", 1, files.count());
    }
  }

  @Test
  public void nestedParametersAreRefused() {
    Map<String, Object> nested = Map.of("sampler", Map.of("name", "ddim"));
    Instant now = Instant.now();

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RunRecord("r", "DONE", now, now, nested, null, Map.of(), Map.of()));

    assertThat(e.getMessage(), containsString("sampler"));
  }
}
