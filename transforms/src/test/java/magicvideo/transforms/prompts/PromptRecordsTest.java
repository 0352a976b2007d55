package magicvideo.transforms.prompts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.Test;

/** The records' coders and the failure's JSON line. */
public class PromptRecordsTest {
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.createDefault();

  private static PromptFailure failure(String raw) {
    return PromptFailure.builder()
        .setSource("gs://b/p.jsonl")
        .setLine(3)
        .setId(null)
        .setFailureKind(FailureKind.MALFORMED_JSON)
        .setReason("malformed JSON at character 9: Unexpected end-of-input")
        .setRawRow(raw)
        .build();
  }

  @Test
  public void requestsRoundTripThroughTheirSchemaCoder() throws Exception {
    Coder<PromptRequest> coder = SCHEMAS.getSchemaCoder(PromptRequest.class);
    PromptRequest bare =
        PromptRequest.builder()
            .setId("a")
            .setPrompt("cat")
            .setSeed(1)
            .setSource("s")
            .setLine(1)
            .build();
    PromptRequest full =
        bare.toBuilder()
            .setNegativePrompt("blur")
            .setVideoIndex(2)
            .setExtraJson("{\"k\":[1]}")
            .setSteps(20)
            .setGuidanceScale(7.5)
            .setFps(8)
            .setTokensDropped(3)
            .build();
    CoderProperties.coderDecodeEncodeEqual(coder, bare);
    CoderProperties.coderDecodeEncodeEqual(coder, full);
  }

  @Test
  public void failuresRoundTripThroughTheirSchemaCoder() throws Exception {
    Coder<PromptFailure> coder = SCHEMAS.getSchemaCoder(PromptFailure.class);
    CoderProperties.coderDecodeEncodeEqual(coder, failure("{\"prompt\":"));
    CoderProperties.coderDecodeEncodeEqual(coder, failure("x".repeat(5000)));
  }

  @Test
  public void aFailureIsOneJsonLineWithEveryField() throws Exception {
    String line = failure("{\"prompt\":\n\"cat").toJsonLine();
    assertFalse(line.contains("\n"));
    JsonNode json = PromptJson.MAPPER.readTree(line);
    assertEquals("gs://b/p.jsonl", json.get("source").asText());
    assertEquals(3, json.get("line").asLong());
    assertTrue(json.get("id").isNull());
    assertEquals("parse", json.get("stage").asText());
    assertEquals("malformed_json", json.get("kind").asText());
    assertEquals("{\"prompt\":\n\"cat", json.get("raw").asText());
  }

  @Test
  public void rawRowsAreCutOnceWithAMark() {
    String cut = failure("x".repeat(PromptFailure.MAX_RAW_CHARS + 1)).getRawRow();
    assertEquals(PromptFailure.MAX_RAW_CHARS, cut.length());
    assertThat(cut, endsWith("x\u2026"));
    assertEquals(cut, PromptFailure.truncateRaw(cut));
    String exact = "y".repeat(PromptFailure.MAX_RAW_CHARS);
    assertEquals(exact, failure(exact).getRawRow());
  }

  @Test
  public void cuttingNeverSplitsASurrogatePair() {
    // The pair would straddle the cut: it goes whole.
    String raw = "x".repeat(PromptFailure.MAX_RAW_CHARS - 2) + "\uD83D\uDE00" + "tail";
    String cut = PromptFailure.truncateRaw(raw);
    assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 2)));
    assertThat(cut, endsWith("x\u2026"));
  }
}
