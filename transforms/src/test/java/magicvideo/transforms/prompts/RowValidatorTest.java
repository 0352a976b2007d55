package magicvideo.transforms.prompts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

public class RowValidatorTest {
  private static final long RUN_SEED = 5;
  private static final int MAX_CHARS = 10;
  private final RowValidator validator = new RowValidator(RUN_SEED, MAX_CHARS);

  private PromptRequest json(String line) throws BadRow {
    return validator.validate(JsonFields.parse(line), "/data/p.jsonl", "p.jsonl", 4);
  }

  private BadRow jsonFails(String line) {
    return assertThrows(BadRow.class, () -> json(line));
  }

  private PromptRequest csv(String... namesAndValues) throws BadRow {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return validator.validate(new TextFields(values), "/data/p.csv", "p.csv", 4);
  }

  private BadRow csvFails(String... namesAndValues) {
    return assertThrows(BadRow.class, () -> csv(namesAndValues));
  }

  @Test
  public void readsAllKnownFieldsAndKeepsTheRestVerbatim() throws Exception {
    PromptRequest request =
        json(
            "{\"id\":\"c1\",\"prompt\":\" a cat \",\"negative_prompt\":\"blur\",\"seed\":9,"
                + "\"score\":0.10,\"num_inference_steps\":25,\"guidance_scale\":7.5,\"fps\":8,"
                + "\"tags\":[\"a\",1],\"meta\":{\"big\":123456789012345678901234567890}}");
    assertEquals("c1", request.getId());
    assertEquals("a cat", request.getPrompt());
    assertEquals("blur", request.getNegativePrompt());
    assertEquals(9, request.getSeed());
    assertEquals(Integer.valueOf(25), request.getSteps());
    assertEquals(Double.valueOf(7.5), request.getGuidanceScale());
    assertEquals(Integer.valueOf(8), request.getFps());
    assertEquals("/data/p.jsonl", request.getSource());
    assertEquals(4, request.getLine());
    assertEquals(
        "{\"score\":0.10,\"tags\":[\"a\",1],\"meta\":{\"big\":123456789012345678901234567890}}",
        request.getExtraJson());
  }

  @Test
  public void absentOptionalFieldsGetDefaults() throws Exception {
    PromptRequest request = json("{\"prompt\":\"cat\",\"negative_prompt\":null}");
    assertEquals("", request.getNegativePrompt());
    assertEquals(PromptIds.derive("p.jsonl", 4, "cat"), request.getId());
    assertEquals(PromptSeeds.derive(RUN_SEED, request.getId()), request.getSeed());
    assertNull(request.getSteps());
    assertNull(request.getTokensDropped());
    assertEquals("{}", request.getExtraJson());
  }

  @Test
  public void acceptsIntegerIdsAndAliases() throws Exception {
    PromptRequest request = json("{\"id\":17,\"prompt\":\"cat\",\"steps\":30,\"guidance\":3}");
    assertEquals("17", request.getId());
    assertEquals(Integer.valueOf(30), request.getSteps());
    assertEquals(Double.valueOf(3), request.getGuidanceScale());
  }

  @Test
  public void replacesUnsafeIdsAndKeepsTheOriginal() throws Exception {
    for (String unsafe : new String[] {"../x", "a/b", "..", "-x"}) {
      PromptRequest request = csv("id", unsafe, "prompt", "cat", "style", "oil");
      assertEquals(PromptIds.derive("p.csv", 4, "cat"), request.getId());
      Map<?, ?> extra = PromptJson.MAPPER.readValue(request.getExtraJson(), Map.class);
      assertEquals(Map.of("style", "oil", "original_id", unsafe), extra);
    }
    assertEquals(PromptIds.derive("p.csv", 4, "cat"), csv("id", "", "prompt", "cat").getId());
    assertEquals("{}", csv("id", " ", "prompt", "cat").getExtraJson());
  }

  @Test
  public void readsNumbersFromCsvText() throws Exception {
    PromptRequest request =
        csv("prompt", "cat", "seed", " 12 ", "steps", "50", "guidance_scale", "7.5", "fps", "");
    assertEquals(12, request.getSeed());
    assertEquals(Integer.valueOf(50), request.getSteps());
    assertEquals(Double.valueOf(7.5), request.getGuidanceScale());
    assertNull(request.getFps());
  }

  @Test
  public void rejectsMissingOrEmptyPrompts() {
    assertEquals(FailureKind.MISSING_PROMPT, jsonFails("{\"text\":\"cat\"}").kind());
    assertEquals(FailureKind.EMPTY_PROMPT, jsonFails("{\"prompt\":\"  \\t\"}").kind());
    assertEquals(FailureKind.EMPTY_PROMPT, csvFails("prompt", "").kind());
    assertEquals(FailureKind.WRONG_TYPE, jsonFails("{\"prompt\":42}").kind());
  }

  @Test
  public void countsPromptLengthInCodePoints() throws Exception {
    String tenEmoji = "\uD83D\uDE00".repeat(MAX_CHARS);
    assertEquals(tenEmoji, csv("prompt", tenEmoji).getPrompt());
    BadRow bad = csvFails("prompt", "x".repeat(MAX_CHARS + 1));
    assertEquals(FailureKind.PROMPT_TOO_LONG, bad.kind());
    assertThat(bad.reason(), containsString("has 11 characters; the limit is 10"));
    BadRow negative = csvFails("prompt", "cat", "negative_prompt", "y".repeat(MAX_CHARS + 1));
    assertThat(negative.reason(), containsString("\"negative_prompt\""));
  }

  @Test
  public void rejectsSeedsOfTheWrongTypeOrRange() {
    assertEquals(FailureKind.WRONG_TYPE, jsonFails("{\"prompt\":\"c\",\"seed\":\"42\"}").kind());
    assertEquals(FailureKind.WRONG_TYPE, jsonFails("{\"prompt\":\"c\",\"seed\":1.5}").kind());
    assertEquals(FailureKind.WRONG_TYPE, csvFails("prompt", "c", "seed", "abc").kind());
    assertEquals(FailureKind.OUT_OF_RANGE, jsonFails("{\"prompt\":\"c\",\"seed\":-1}").kind());
    assertEquals(
        FailureKind.OUT_OF_RANGE,
        jsonFails("{\"prompt\":\"c\",\"seed\":1180591620717411303424}").kind());
    assertEquals(
        FailureKind.OUT_OF_RANGE, csvFails("prompt", "c", "seed", "99999999999999999999").kind());
  }

  @Test
  public void rejectsOverridesOutOfRangeOrGivenTwice() {
    BadRow steps = jsonFails("{\"prompt\":\"c\",\"steps\":0}");
    assertEquals(FailureKind.OUT_OF_RANGE, steps.kind());
    assertThat(steps.reason(), containsString("expected 1 to 1000"));
    assertEquals(FailureKind.OUT_OF_RANGE, jsonFails("{\"prompt\":\"c\",\"fps\":500}").kind());
    assertEquals(
        FailureKind.OUT_OF_RANGE, jsonFails("{\"prompt\":\"c\",\"guidance_scale\":-1}").kind());
    assertEquals(FailureKind.WRONG_TYPE, csvFails("prompt", "c", "guidance", "NaN").kind());
    assertEquals(FailureKind.WRONG_TYPE, jsonFails("{\"prompt\":\"c\",\"fps\":12.5}").kind());
    assertEquals(
        FailureKind.CONFLICTING_FIELDS,
        jsonFails("{\"prompt\":\"c\",\"steps\":20,\"num_inference_steps\":20}").kind());
  }

  @Test
  public void aRejectedRowNamesTheIdItGave() {
    assertEquals("c9", jsonFails("{\"id\":\"c9\",\"prompt\":\"\"}").id());
    assertNull(jsonFails("{\"prompt\":\"\"}").id());
  }

  @Test
  public void rejectsMalformedJsonAndNonObjects() {
    BadRow malformed = assertThrows(BadRow.class, () -> JsonFields.parse("{\"prompt\": \"cat\""));
    assertEquals(FailureKind.MALFORMED_JSON, malformed.kind());
    assertThat(malformed.reason(), containsString("malformed JSON at character"));
    assertEquals(
        FailureKind.MALFORMED_JSON,
        assertThrows(BadRow.class, () -> JsonFields.parse("{\"prompt\":\"a\",\"prompt\":\"b\"}"))
            .kind());
    assertEquals(
        FailureKind.MALFORMED_JSON,
        assertThrows(BadRow.class, () -> JsonFields.parse("{\"prompt\":\"a\"} x")).kind());
    BadRow array = assertThrows(BadRow.class, () -> JsonFields.parse("[\"a cat\"]"));
    assertEquals(FailureKind.NOT_AN_OBJECT, array.kind());
    assertThat(array.reason(), containsString("found an array"));
    assertTrue(
        assertThrows(BadRow.class, () -> JsonFields.parse("\"a cat\""))
            .reason()
            .contains("found a string \"a cat\""));
  }
}
