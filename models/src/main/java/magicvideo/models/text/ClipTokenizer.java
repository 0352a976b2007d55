package magicvideo.models.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import magicvideo.models.io.ModelDirectory;

/**
 * Turns prompts into the fixed-length id sequences a CLIP text encoder takes, as Stable
 * Diffusion pipelines do: lower-cased text, {@code <|startoftext|>} first, {@code <|endoftext|>}
 * after the text, then padding to the context length (77).
 *
 * <p>The text itself is split by a standard Hugging Face {@code tokenizer.json} (the real CLIP
 * BPE file, or one written by {@link TokenizerFiles}) through DJL's native tokenizers, with the
 * file's own truncation, padding and special-token post-processing switched off. The start, end
 * and pad tokens are added here in Java instead: that works the same for every tokenizer.json
 * (CLIP's uses RobertaProcessing, others none), keeps the pad token a config choice (SD 1.x and
 * 2.x differ), and lets a long prompt's truncation be counted and reported instead of silently
 * applied.
 */
public final class ClipTokenizer implements AutoCloseable {

  /** Only splitting into ids is delegated; see the class comment. */
  private static final Map<String, String> PLAIN_SPLIT =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private final HuggingFaceTokenizer tokenizer;
  private final ClipTokenizerConfig config;
  private final long startId;
  private final long endId;
  private final long padId;

  private ClipTokenizer(HuggingFaceTokenizer tokenizer, ClipTokenizerConfig config, long startId,
      long endId, long padId) {
    this.tokenizer = tokenizer;
    this.config = config;
    this.startId = startId;
    this.endId = endId;
    this.padId = padId;
  }

  /** Loads {@code tokenizerJson}, which must contain the config's special tokens. */
  public static ClipTokenizer open(Path tokenizerJson, ClipTokenizerConfig config)
      throws IOException {
    byte[] json = Files.readAllBytes(tokenizerJson);
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IOException(tokenizerJson + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    long startId = tokenId(tokenizerJson, root, config.startToken());
    long endId = tokenId(tokenizerJson, root, config.endToken());
    long padId = tokenId(tokenizerJson, root, config.padToken());
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), PLAIN_SPLIT);
    } catch (RuntimeException e) {
      // The native library reports a malformed tokenizer.json as an unchecked EngineException.
      throw new IOException(tokenizerJson + " is not a tokenizer the Hugging Face tokenizers "
          + "library can load: " + e.getMessage(), e);
    }
    return new ClipTokenizer(tokenizer, config, startId, endId, padId);
  }

  /** The tokenizer of a model directory, with the config stored there. */
  public static ClipTokenizer open(ModelDirectory model) throws IOException {
    return open(model.tokenizerFile(), model.tokenizerConfig(ClipTokenizerConfig.class));
  }

  /**
   * The vocabulary id of {@code token}, looked up as transformers' {@code convert_tokens_to_ids}
   * does: in {@code added_tokens}, then in the model's vocabulary. Encoding the token's text is
   * not the same: CLIP's BPE turns "!" into "!&lt;/w&gt;", while SD 2.x pads with the bare "!".
   */
  private static long tokenId(Path file, JsonNode root, String token) throws IOException {
    for (JsonNode added : root.path("added_tokens")) {
      if (token.equals(added.path("content").asText(null)) && added.path("id").canConvertToLong()) {
        return added.path("id").longValue();
      }
    }
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject() && vocab.path(token).canConvertToLong()) {
      return vocab.path(token).longValue();
    }
    if (vocab.isArray()) {
      // Unigram vocabularies are [token, score] pairs; the id is the position.
      for (int i = 0; i < vocab.size(); i++) {
        if (token.equals(vocab.get(i).path(0).asText(null))) {
          return i;
        }
      }
    }
    throw new IOException(file + " has no token '" + token + "' in added_tokens or model.vocab");
  }

  public ClipTokenizerConfig config() {
    return config;
  }

  /** Vocabulary id of the end-of-text token (what a text encoder's pooled output looks for). */
  public long endId() {
    return endId;
  }

  /** Vocabulary id that fills a prompt after its end-of-text token. */
  public long padId() {
    return padId;
  }

  public TokenizedPrompt encode(String prompt) {
    return assemble(tokenizer.encode(normalise(prompt), false, false));
  }

  /** Encodes a batch; the native library splits the prompts in parallel. */
  public List<TokenizedPrompt> encode(List<String> prompts) {
    String[] texts = prompts.stream().map(ClipTokenizer::normalise).toArray(String[]::new);
    List<TokenizedPrompt> encoded = new ArrayList<>(texts.length);
    for (Encoding encoding : tokenizer.batchEncode(texts, false, false)) {
      encoded.add(assemble(encoding));
    }
    return encoded;
  }

  /**
   * CLIP's own preprocessing lower-cases and strips; the real tokenizer.json lower-cases too,
   * but a vocabulary file without that normaliser would otherwise map capitals to unknown.
   */
  private static String normalise(String prompt) {
    return prompt.strip().toLowerCase(Locale.ROOT);
  }

  private TokenizedPrompt assemble(Encoding encoding) {
    long[] text = encoding.getIds();
    int room = config.contextLength() - 2;
    int kept = Math.min(text.length, room);
    long[] ids = new long[config.contextLength()];
    Arrays.fill(ids, padId);
    ids[0] = startId;
    System.arraycopy(text, 0, ids, 1, kept);
    ids[kept + 1] = endId;
    return new TokenizedPrompt(ids, kept + 2, text.length - kept);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
