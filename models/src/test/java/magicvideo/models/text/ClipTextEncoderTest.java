package magicvideo.models.text;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import magicvideo.models.nn.Param;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class ClipTextEncoderTest {
  private static final ClipTextConfig TINY = ClipTextConfig.tiny();
  private static final long EOS = TINY.eosTokenId();

  private NDManager manager;

  @Before
  public void setUp() {
    manager = NDManager.newBaseManager();
  }

  @After
  public void tearDown() {
    manager.close();
  }

  private ClipTextEncoder tinyEncoder(long seed) {
    ClipTextEncoder encoder = new ClipTextEncoder(TINY);
    encoder.initialize(manager, seed);
    return encoder;
  }

  /** A prompt of {@code words} tokens, then EOS, then {@code filler} up to the context length. */
  private static long[] prompt(long[] words, long filler) {
    long[] ids = new long[TINY.contextLength()];
    System.arraycopy(words, 0, ids, 0, words.length);
    ids[words.length] = EOS;
    for (int i = words.length + 1; i < ids.length; i++) {
      ids[i] = filler;
    }
    return ids;
  }

  private NDArray batch(long[]... rows) {
    long[] flat = new long[rows.length * rows[0].length];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, flat, b * rows[0].length, rows[0].length);
    }
    return manager.create(flat, new Shape(rows.length, rows[0].length));
  }

  /** Largest absolute difference of the hidden states at each position (batch of one). */
  private static float[] changePerPosition(NDArray a, NDArray b) {
    return a.sub(b).get(0).abs().max(new int[] {1}).toFloatArray();
  }

  @Test
  public void encodesEveryPositionAndPoolsOneVectorPerPrompt() {
    ClipTextEncoder encoder = tinyEncoder(1);
    NDArray ids = batch(prompt(new long[] {5, 6, 7}, EOS), prompt(new long[] {8}, EOS));
    NDArray hidden = encoder.encode(ids);
    assertEquals(new Shape(2, TINY.contextLength(), TINY.hidden()), hidden.getShape());
    assertEquals(new Shape(2, TINY.hidden()), encoder.pooled(hidden, ids).getShape());
    // shorter prompts than the context are allowed, as in HF
    assertEquals(new Shape(1, 5, TINY.hidden()), encoder.encode(batch(new long[] {1, 2, 3, 4, EOS})).getShape());
  }

  @Test
  public void changingTokenJChangesOnlyPositionsFromJOn() {
    ClipTextEncoder encoder = tinyEncoder(2);
    long[] base = prompt(new long[] {11, 12, 13, 14, 15, 16}, EOS);
    int j = 3;
    long[] changed = base.clone();
    changed[j] = 42;
    float[] change = changePerPosition(encoder.encode(batch(base)), encoder.encode(batch(changed)));
    for (int i = 0; i < change.length; i++) {
      if (i < j) {
        assertEquals("position " + i + " must not see token " + j, 0f, change[i], 0f);
      } else {
        assertTrue("position " + i + " must see token " + j + ": " + change[i], change[i] > 1e-4f);
      }
    }
  }

  @Test
  public void whatFollowsEosChangesNeitherEarlierStatesNorPooledOutput() {
    ClipTextEncoder encoder = tinyEncoder(3);
    long[] words = {21, 22, 23, 24};
    NDArray padded = batch(prompt(words, TINY.padTokenId()));
    NDArray garbage = batch(prompt(words, 7));
    NDArray a = encoder.encode(padded);
    NDArray b = encoder.encode(garbage);
    float[] change = changePerPosition(a, b);
    for (int i = 0; i <= words.length; i++) {
      assertEquals("position " + i + " (up to EOS)", 0f, change[i], 0f);
    }
    assertTrue("positions after EOS do see the filler", change[words.length + 1] > 1e-4f);
    assertEquals(0f, encoder.pooled(a, padded).sub(encoder.pooled(b, garbage)).abs().max().getFloat(), 0f);
  }

  @Test
  public void pooledIsTheStateAtTheFirstEos() {
    ClipTextEncoder encoder = tinyEncoder(4);
    // padding with EOS itself (SD's tokenizer): the first EOS, not the last, is pooled
    NDArray ids = batch(prompt(new long[] {31, 32}, EOS), prompt(new long[] {33, 34, 35, 36, 37}, EOS));
    NDArray hidden = encoder.encode(ids);
    NDArray pooled = encoder.pooled(hidden, ids);
    int[] eosAt = {2, 5};
    for (int b = 0; b < 2; b++) {
      NDArray expected = hidden.get(new NDIndex("{}, {}", b, eosAt[b]));
      assertEquals("prompt " + b, 0f, pooled.get(b).sub(expected).abs().max().getFloat(), 0f);
    }
  }

  @Test
  public void sameSeedSameWeightsOtherSeedOtherWeights() {
    Map<String, NDArray> a = tinyEncoder(7).stateDict();
    Map<String, NDArray> b = tinyEncoder(7).stateDict();
    Map<String, NDArray> c = tinyEncoder(8).stateDict();
    a.forEach((name, w) -> assertArrayEquals(name, w.toFloatArray(), b.get(name).toFloatArray(), 0f));
    String q = "text_model.encoder.layers.0.self_attn.q_proj.weight";
    assertFalse(a.get(q).contentEquals(c.get(q)));
  }

  @Test
  public void freshWeightsFollowHuggingFaceClipInitialisation() {
    Map<String, NDArray> w = tinyEncoder(9).stateDict();
    double d = TINY.hidden();
    double inProj = Math.pow(d, -0.5) * Math.pow(2.0 * TINY.layers(), -0.5);
    assertStd(w.get("text_model.embeddings.token_embedding.weight"), 0.02);
    assertStd(w.get("text_model.encoder.layers.1.self_attn.k_proj.weight"), inProj);
    assertStd(w.get("text_model.encoder.layers.1.self_attn.out_proj.weight"), Math.pow(d, -0.5));
    assertStd(w.get("text_model.encoder.layers.1.mlp.fc1.weight"), Math.pow(2 * d, -0.5));
    assertStd(w.get("text_model.encoder.layers.1.mlp.fc2.weight"), inProj);
    for (String bias : List.of("self_attn.q_proj.bias", "self_attn.out_proj.bias", "mlp.fc1.bias", "mlp.fc2.bias")) {
      assertEquals(bias, 0f, w.get("text_model.encoder.layers.0." + bias).abs().max().getFloat(), 0f);
    }
  }

  private static void assertStd(NDArray w, double expected) {
    double std = Math.sqrt(w.square().mean().getFloat());
    assertEquals("std of " + w.getShape(), expected, std, expected * 0.1);
  }

  @Test
  public void parameterNamesAreHuggingFaceClipTextModelKeys() {
    ClipTextEncoder sd = new ClipTextEncoder(ClipTextConfig.sd15());
    Set<String> expected = new LinkedHashSet<>();
    expected.add("text_model.embeddings.token_embedding.weight");
    expected.add("text_model.embeddings.position_embedding.weight");
    for (int i = 0; i < 12; i++) {
      for (String p : List.of("self_attn.k_proj", "self_attn.v_proj", "self_attn.q_proj", "self_attn.out_proj",
          "layer_norm1", "mlp.fc1", "mlp.fc2", "layer_norm2")) {
        expected.add("text_model.encoder.layers." + i + "." + p + ".weight");
        expected.add("text_model.encoder.layers." + i + "." + p + ".bias");
      }
    }
    expected.add("text_model.final_layer_norm.weight");
    expected.add("text_model.final_layer_norm.bias");
    Map<String, Shape> shapes = sd.parameterShapes();
    assertEquals(expected, shapes.keySet());
    assertEquals(new Shape(49408, 768), shapes.get("text_model.embeddings.token_embedding.weight"));
    assertEquals(new Shape(77, 768), shapes.get("text_model.embeddings.position_embedding.weight"));
    assertEquals(new Shape(3072, 768), shapes.get("text_model.encoder.layers.11.mlp.fc1.weight"));
    assertEquals(new Shape(768, 3072), shapes.get("text_model.encoder.layers.11.mlp.fc2.weight"));
  }

  @Test
  public void sd15HasTheParameterCountOfStableDiffusionsTextEncoder() {
    // transformers CLIPTextModel of runwayml/stable-diffusion-v1-5/text_encoder
    assertEquals(123_060_480L, new ClipTextEncoder(ClipTextConfig.sd15()).parameterCount());
  }

  @Test
  public void gradientReachesExactlyTheTokensThePooledOutputSees() {
    ClipTextEncoder encoder = tinyEncoder(10);
    encoder.requireGradients();
    // tokens 61..63 come after the first EOS: the pooled state cannot see them
    long[] ids = {51, 52, 53, EOS, 61, 62, 63, 61, 62, 63, 61, 62, 63, 61, 62, 63};
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray tokens = batch(ids);
      NDArray loss = encoder.pooled(encoder.encode(tokens), tokens).square().sum();
      gc.backward(loss);
    }
    Param table = encoder.namedParameters().get("text_model.embeddings.token_embedding.weight");
    NDArray grad = table.array().getGradient().abs().sum(new int[] {1});
    List<Integer> reached = new ArrayList<>();
    float[] perRow = grad.toFloatArray();
    for (int row = 0; row < perRow.length; row++) {
      if (perRow[row] > 0f) {
        reached.add(row);
      }
    }
    assertEquals(List.of(51, 52, 53, (int) EOS), reached);
    NDArray q = encoder.namedParameters().get("text_model.encoder.layers.0.self_attn.q_proj.weight").array();
    assertTrue("attention weights get a gradient", q.getGradient().abs().sum().getFloat() > 0f);
  }

  @Test
  public void rejectsIdsOutsideTheVocabularyAndPromptsWithoutEos() {
    ClipTextEncoder encoder = tinyEncoder(11);
    try {
      encoder.encode(batch(prompt(new long[] {1, TINY.vocabSize()}, EOS)));
      fail("id " + TINY.vocabSize() + " is outside the vocabulary");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("100 rows"));
    }
    NDArray noEos = manager.create(new long[] {1, 2, 3}, new Shape(1, 3));
    try {
      encoder.pooled(encoder.encode(noEos), noEos);
      fail("a prompt without EOS has nothing to pool");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("prompt 0"));
    }
    try {
      encoder.encode(manager.create(new long[TINY.contextLength() + 1], new Shape(1, TINY.contextLength() + 1)));
      fail("longer than the context");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("length <= " + TINY.contextLength()));
    }
  }

  @Test
  public void configRoundTripsThroughJsonWithHuggingFaceActivationNames() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String text = json.writeValueAsString(ClipTextConfig.sd15());
    assertTrue(text, text.contains("\"activation\":\"quick_gelu\""));
    assertEquals(ClipTextConfig.sd15(), json.readValue(text, ClipTextConfig.class));
    assertEquals(ClipTextConfig.demo(1000), json.readValue(json.writeValueAsString(ClipTextConfig.demo(1000)),
        ClipTextConfig.class));
  }
}
