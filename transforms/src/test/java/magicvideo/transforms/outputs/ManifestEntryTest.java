package magicvideo.transforms.outputs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.Test;

public class ManifestEntryTest {
  private static final String EXTRA =
      "{\"style\":\"flat\",\"weight\":0.10,\"tags\":[1,{\"a\":null}]}";

  @Test
  public void jsonLineRoundTripsEveryField() {
    ManifestEntry entry =
        ManifestEntries.video("a-1", 1234).toBuilder()
            .setNegativePrompt("blurry")
            .setTokensDropped(3)
            .setExtraJson(EXTRA)
            .build();

    String line = entry.toJsonLine();

    assertEquals(entry, ManifestEntry.fromJsonLine(line));
    assertEquals(-1, line.indexOf('\n'));
  }

  @Test
  public void jsonUsesSnakeCaseKeysInAFixedOrderAndCarriesExtrasExactly() throws Exception {
    ManifestEntry entry = ManifestEntries.video("a", 10).toBuilder().setExtraJson(EXTRA).build();

    JsonNode json = OutputJson.MAPPER.readTree(entry.toJsonLine());

    List<String> keys = new ArrayList<>();
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      keys.add(names.next());
    }
    assertEquals(
        List.of(
            "id",
            "status",
            "prompt",
            "negative_prompt",
            "seed",
            "model",
            "sampler",
            "steps",
            "guidance",
            "keyframes",
            "frames",
            "fps",
            "width",
            "height",
            "video",
            "preview",
            "tensors",
            "bytes",
            "sha256",
            "stage_seconds",
            "tokens_dropped",
            "extra"),
        keys);
    assertEquals("ok", json.get("status").asText());
    assertEquals(
        ManifestEntries.MODEL.fingerprint(), json.get("model").get("fingerprint").asText());
    assertEquals("videos/00000/a.mp4", json.get("video").asText());
    assertEquals(1.5, json.get("stage_seconds").get("keyframes").asDouble(), 0);
    assertThat(entry.toJsonLine(), containsString("\"extra\":" + EXTRA));
  }

  @Test
  public void tensorsEntryOfAnUntilRunHasNoVideo() {
    ManifestEntry entry =
        ManifestEntries.video("t", 99).toBuilder()
            .setVideo(null)
            .setPreview(null)
            .setTensors(OutputLayout.tensorsPath("00001", "t"))
            .build();

    ManifestEntry read = ManifestEntry.fromJsonLine(entry.toJsonLine());

    assertNull(read.getVideo());
    assertEquals("tensors/00001/t.safetensors", read.getOutputPath());
  }

  @Test
  public void buildRefusesEntriesWithoutExactlyOneOutputOrWithABadHash() {
    ManifestEntry.Builder both =
        ManifestEntries.video("x", 1).toBuilder().setTensors("tensors/00000/x.safetensors");
    ManifestEntry.Builder neither = ManifestEntries.video("x", 1).toBuilder().setVideo(null);
    ManifestEntry.Builder badHash = ManifestEntries.video("x", 1).toBuilder().setSha256("ABC");

    assertThat(
        assertThrows(IllegalArgumentException.class, both::build).getMessage(),
        containsString("exactly one of video and tensors"));
    assertThat(
        assertThrows(IllegalArgumentException.class, neither::build).getMessage(),
        containsString("exactly one of video and tensors"));
    assertThat(
        assertThrows(IllegalArgumentException.class, badHash::build).getMessage(),
        containsString("sha256"));
  }

  @Test
  public void fromJsonLineNamesTheIdAndTheMissingField() {
    String line = ManifestEntries.video("row-9", 1).toJsonLine().replace("\"steps\":25,", "");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ManifestEntry.fromJsonLine(line));

    assertThat(e.getMessage(), containsString("row-9"));
    assertThat(e.getMessage(), containsString("\"steps\""));
  }

  @Test
  public void defaultCoderIsTheDeterministicJsonLineCoder() throws Exception {
    Coder<ManifestEntry> coder = CoderRegistry.createDefault().getCoder(ManifestEntry.class);
    coder.verifyDeterministic();
    Map<String, Double> forward = new LinkedHashMap<>();
    forward.put("decode", 0.25);
    forward.put("keyframes", 1.5);
    Map<String, Double> backward = new LinkedHashMap<>();
    backward.put("keyframes", 1.5);
    backward.put("decode", 0.25);
    ManifestEntry a = ManifestEntries.video("a", 5).toBuilder().setStageSeconds(forward).build();
    ManifestEntry b = ManifestEntries.video("a", 5).toBuilder().setStageSeconds(backward).build();

    assertEquals(ManifestEntryCoder.of(), coder);
    assertArrayEquals(
        CoderUtils.encodeToByteArray(coder, a), CoderUtils.encodeToByteArray(coder, b));
    assertEquals(a, CoderUtils.clone(coder, a));
    assertEquals(a, SerializableUtils.clone(a));
  }
}
