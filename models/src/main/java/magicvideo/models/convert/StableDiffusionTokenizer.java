package magicvideo.models.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import magicvideo.models.io.AtomicFiles;
import magicvideo.models.text.ClipTokenizerConfig;

/**
 * The tokenizer of a Stable Diffusion checkpoint as the single {@code tokenizer.json} that
 * {@link magicvideo.models.text.ClipTokenizer} reads. A checkpoint's own tokenizer.json is used
 * as it is; SD 1.5 repositories ship only the files of transformers' Python ("slow") CLIP
 * tokenizer, vocab.json + merges.txt, which are converted to the file transformers' own
 * converter (CLIPConverter) writes: byte-level BPE with {@code </w>} marking the end of a word,
 * CLIP's normaliser (NFC, whitespace runs to one space, lower case) and word splitting, and
 * RobertaProcessing adding the start and end tokens.
 */
final class StableDiffusionTokenizer {
  static final String TOKENIZER_JSON = "tokenizer.json";
  private static final String VOCAB = "vocab.json";
  private static final String MERGES = "merges.txt";
  private static final String SPECIAL_TOKENS = "special_tokens_map.json";

  /** CLIP's word splitting, as transformers' CLIPConverter writes it. */
  private static final String CLIP_WORDS =
      "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tokenizer.json ready to copy into the model, its config, and where it came from. */
  record Prepared(Path tokenizerJson, ClipTokenizerConfig config, String origin) {}

  /** The tokens special_tokens_map.json names. */
  private record SpecialTokens(String start, String end, String pad, String unknown) {}

  private StableDiffusionTokenizer() {}

  /**
   * @param directory the checkpoint's {@code tokenizer/}
   * @param contextLength ids per prompt: the text encoder's max_position_embeddings
   * @param staging where a converted tokenizer.json is written
   */
  static Prepared prepare(Path directory, int contextLength, Path staging) throws IOException {
    SpecialTokens special = specialTokens(directory);
    ClipTokenizerConfig config =
        new ClipTokenizerConfig(contextLength, special.start(), special.end(), special.pad());
    Path given = directory.resolve(TOKENIZER_JSON);
    if (Files.isRegularFile(given)) {
      return new Prepared(given, config, given + " (as it is)");
    }
    Path vocabFile = directory.resolve(VOCAB);
    Path mergesFile = directory.resolve(MERGES);
    ObjectNode vocab = vocabulary(vocabFile);
    for (String token : List.of(special.start(), special.end(), special.pad(), special.unknown())) {
      if (!vocab.has(token)) {
        throw new CheckpointException(vocabFile + " has no token '" + token + "', which "
            + directory.resolve(SPECIAL_TOKENS) + " (or CLIP's defaults) names");
      }
    }
    List<String> merges = merges(mergesFile);
    Path out = staging.resolve(TOKENIZER_JSON);
    AtomicFiles.write(out, JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(clipBpe(vocab, merges, special)));
    return new Prepared(out, config, "converted " + vocabFile + " (" + vocab.size() + " tokens) + "
        + mergesFile + " (" + merges.size() + " merges)");
  }

  /** The tokenizer.json of CLIP's byte-level BPE over {@code vocab} and {@code merges}. */
  private static ObjectNode clipBpe(ObjectNode vocab, List<String> merges, SpecialTokens special) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    // Only start and end are added tokens (matched before splitting), as in CLIP's own file; a
    // pad such as SD 2.x's "!" is an ordinary word and must still split as one.
    int startId = vocab.get(special.start()).intValue();
    int endId = vocab.get(special.end()).intValue();
    addSpecial(added, startId, special.start());
    if (endId != startId) {
      addSpecial(added, endId, special.end());
    }

    ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence")
        .putArray("normalizers");
    normalizers.addObject().put("type", "NFC");
    ObjectNode whitespace = normalizers.addObject().put("type", "Replace");
    whitespace.putObject("pattern").put("Regex", "\\s+");
    whitespace.put("content", " ");
    normalizers.addObject().put("type", "Lowercase");

    ArrayNode pre = root.putObject("pre_tokenizer").put("type", "Sequence")
        .putArray("pretokenizers");
    ObjectNode split = pre.addObject().put("type", "Split");
    split.putObject("pattern").put("Regex", CLIP_WORDS);
    split.put("behavior", "Removed").put("invert", true);
    pre.addObject().put("type", "ByteLevel").put("add_prefix_space", false)
        .put("trim_offsets", true).put("use_regex", false);

    ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing");
    post.putArray("sep").add(special.end()).add(endId);
    post.putArray("cls").add(special.start()).add(startId);
    post.put("trim_offsets", false).put("add_prefix_space", false);
    root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
        .put("trim_offsets", true).put("use_regex", true);

    ObjectNode model = root.putObject("model").put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", special.unknown()).put("continuing_subword_prefix", "")
        .put("end_of_word_suffix", "</w>").put("fuse_unk", false).put("byte_fallback", false);
    model.set("vocab", vocab);
    ArrayNode mergeList = model.putArray("merges");
    merges.forEach(mergeList::add);
    return root;
  }

  private static void addSpecial(ArrayNode added, int id, String token) {
    added.addObject().put("id", id).put("content", token).put("single_word", false)
        .put("lstrip", false).put("rstrip", false).put("normalized", true).put("special", true);
  }

  private static ObjectNode vocabulary(Path file) throws IOException {
    JsonNode vocab = readJson(file);
    if (vocab == null || !vocab.isObject() || vocab.isEmpty()) {
      throw new CheckpointException(file + " is not a JSON object of token -> id");
    }
    for (var entry : (Iterable<Map.Entry<String, JsonNode>>) vocab::fields) {
      if (!entry.getValue().canConvertToInt() || !entry.getValue().isIntegralNumber()) {
        throw new CheckpointException(file + ": token '" + entry.getKey() + "' has id "
            + entry.getValue() + ", not an integer");
      }
    }
    return (ObjectNode) vocab;
  }

  /** merges.txt: an optional "#version" line, then one "left right" pair per line. */
  private static List<String> merges(Path file) throws IOException {
    List<String> lines = readLines(file);
    int first = !lines.isEmpty() && lines.get(0).startsWith("#version") ? 1 : 0;
    List<String> merges = new ArrayList<>();
    for (int i = first; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (line.split(" ", -1).length != 2) {
        throw new CheckpointException(file + " line " + (i + 1) + " is not a pair 'left right': '"
            + line + "'");
      }
      merges.add(line);
    }
    return merges;
  }

  /**
   * The special tokens from special_tokens_map.json (each a string or {"content": ...}), or
   * CLIP's when the file is absent; pad and unknown default to the end token, as in SD 1.x.
   */
  private static SpecialTokens specialTokens(Path directory) throws IOException {
    Path file = directory.resolve(SPECIAL_TOKENS);
    JsonNode map = Files.isRegularFile(file) ? readJson(file) : JSON.createObjectNode();
    String end = token(file, map, "eos_token", ClipTokenizerConfig.END_OF_TEXT);
    return new SpecialTokens(token(file, map, "bos_token", ClipTokenizerConfig.START_OF_TEXT), end,
        token(file, map, "pad_token", end), token(file, map, "unk_token", end));
  }

  private static String token(Path file, JsonNode map, String field, String absent)
      throws CheckpointException {
    JsonNode value = map.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return absent;
    }
    JsonNode content = value.isObject() ? value.path("content") : value;
    if (!content.isTextual() || content.textValue().isEmpty()) {
      throw new CheckpointException(file + ": " + field + " is " + value
          + ", not a token string or {\"content\": token}");
    }
    return content.textValue();
  }

  private static JsonNode readJson(Path file) throws IOException {
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + " does not exist: the tokenizer needs tokenizer.json, "
          + "or vocab.json and merges.txt");
    } catch (JsonProcessingException e) {
      throw new CheckpointException(file + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static List<String> readLines(Path file) throws IOException {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + " does not exist: the tokenizer needs tokenizer.json, "
          + "or vocab.json and merges.txt");
    }
  }
}
