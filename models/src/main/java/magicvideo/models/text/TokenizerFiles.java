package magicvideo.models.text;

import static magicvideo.models.text.ClipTokenizerConfig.END_OF_TEXT;
import static magicvideo.models.text.ClipTokenizerConfig.START_OF_TEXT;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import magicvideo.models.io.AtomicFiles;

/**
 * Writes Hugging Face {@code tokenizer.json} files for vocabularies of our own. The real CLIP
 * BPE file (49,408 tokens) cannot be fetched here, and a small model trained from scratch does
 * not need it: a word-level vocabulary with CLIP's special tokens exercises the same code path.
 */
public final class TokenizerFiles {

  private static final String DEMO_VOCABULARY = "demo-vocabulary.txt";

  private TokenizerFiles() {}

  /**
   * Writes a word-level tokenizer.json: {@code words} get ids 0..n-1 in the given order, then
   * {@code <|startoftext|>} = n and {@code <|endoftext|>} = n+1, the last two ids as in CLIP (the
   * end token being the largest id is what CLIP's pooled output relies on to find it). Text is
   * NFC-normalised and lower-cased, then split at whitespace and around each punctuation
   * character (BertPreTokenizer). Unknown words become {@code <|endoftext|>}, CLIP's unknown
   * token. The file also carries CLIP's RobertaProcessing post-processor, so Python's tokenizers
   * adds start and end tokens to it exactly as it does for the real CLIP file; {@link
   * ClipTokenizer} does not rely on it.
   *
   * @param words distinct, lower-case, NFC; each either letters and digits only, or a single
   *     other character (punctuation), since anything else could never come out of the
   *     pre-tokenizer
   */
  public static void writeWordLevel(Path file, List<String> words) throws IOException {
    checkWords(words);
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    int startId = words.size();
    int endId = words.size() + 1;
    ArrayNode added = root.putArray("added_tokens");
    addSpecial(added, startId, START_OF_TEXT);
    addSpecial(added, endId, END_OF_TEXT);

    ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence")
        .putArray("normalizers");
    normalizers.addObject().put("type", "NFC");
    normalizers.addObject().put("type", "Lowercase");
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");

    ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing");
    post.putArray("sep").add(END_OF_TEXT).add(endId);
    post.putArray("cls").add(START_OF_TEXT).add(startId);
    post.put("trim_offsets", false).put("add_prefix_space", false);
    root.putNull("decoder");

    ObjectNode model = root.putObject("model").put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < words.size(); id++) {
      vocab.put(words.get(id), id);
    }
    vocab.put(START_OF_TEXT, startId);
    vocab.put(END_OF_TEXT, endId);
    model.put("unk_token", END_OF_TEXT);

    AtomicFiles.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  private static void addSpecial(ArrayNode added, int id, String token) {
    added.addObject().put("id", id).put("content", token).put("single_word", false)
        .put("lstrip", false).put("rstrip", false).put("normalized", true).put("special", true);
  }

  private static void checkWords(List<String> words) {
    Set<String> seen = new HashSet<>();
    for (String word : words) {
      if (word == null || word.isEmpty()) {
        throw new IllegalArgumentException("vocabulary words must not be empty");
      }
      if (!seen.add(word)) {
        throw new IllegalArgumentException("vocabulary word '" + word + "' is given twice");
      }
      if (word.equals(START_OF_TEXT) || word.equals(END_OF_TEXT)) {
        throw new IllegalArgumentException("'" + word + "' is a special token, added by itself");
      }
      if (!word.equals(word.toLowerCase(Locale.ROOT))
          || !Normalizer.isNormalized(word, Normalizer.Form.NFC)) {
        throw new IllegalArgumentException("vocabulary word '" + word
            + "' is not lower-case NFC, so the normaliser makes it unreachable");
      }
      boolean alphanumeric = word.codePoints().allMatch(Character::isLetterOrDigit);
      boolean singleSymbol = word.codePointCount(0, word.length()) == 1
          && !Character.isWhitespace(word.codePointAt(0));
      if (!alphanumeric && !singleSymbol) {
        throw new IllegalArgumentException("vocabulary word '" + word + "' mixes letters or "
            + "digits with other characters, which the pre-tokenizer splits apart");
      }
    }
  }

  /**
   * A small English vocabulary for demo prompts (subjects, actions, scenes, styles, camera
   * words), one word per line in the resource {@value #DEMO_VOCABULARY}.
   */
  public static List<String> demoVocabulary() {
    try (InputStream in = TokenizerFiles.class.getResourceAsStream(DEMO_VOCABULARY)) {
      if (in == null) {
        throw new IllegalStateException("resource " + DEMO_VOCABULARY + " is missing from the jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      return reader.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + DEMO_VOCABULARY, e);
    }
  }
}
