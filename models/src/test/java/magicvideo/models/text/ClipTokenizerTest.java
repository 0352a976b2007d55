package magicvideo.models.text;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.SafeTensors;
import magicvideo.models.io.Tensor;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ClipTokenizerTest {

  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static final List<String> WORDS = TokenizerFiles.demoVocabulary();
  private static final long START = WORDS.size();
  private static final long END = WORDS.size() + 1;

  private static Path wordLevel;
  private static Path bpe;

  @BeforeClass
  public static void writeTokenizerFiles() throws IOException {
    wordLevel = tmp.getRoot().toPath().resolve("word-level/tokenizer.json");
    TokenizerFiles.writeWordLevel(wordLevel, WORDS);
    bpe = tmp.getRoot().toPath().resolve("bpe/tokenizer.json");
    Files.createDirectories(bpe.getParent());
    try (InputStream in =
        ClipTokenizerTest.class.getResourceAsStream("tiny-clip-bpe-tokenizer.json")) {
      Files.copy(in, bpe);
    }
  }

  private static long id(String word) {
    int id = WORDS.indexOf(word);
    assertTrue("demo vocabulary lacks " + word, id >= 0);
    return id;
  }

  /** start, the given ids, end, then {@code pad} up to 77. */
  private static long[] expected(long pad, long... text) {
    long[] ids = new long[77];
    Arrays.fill(ids, pad);
    ids[0] = START;
    System.arraycopy(text, 0, ids, 1, text.length);
    ids[text.length + 1] = END;
    return ids;
  }

  @Test
  public void encodesStartTextEndAndPadsWithEndToContextLength() throws IOException {
    try (ClipTokenizer tokenizer = ClipTokenizer.open(wordLevel, ClipTokenizerConfig.CLIP)) {
      TokenizedPrompt prompt = tokenizer.encode("  A Cat playing PIANO on the beach, at sunset! ");
      long[] text = {id("a"), id("cat"), id("playing"), id("piano"), id("on"), id("the"),
          id("beach"), id(","), id("at"), id("sunset"), id("!")};
      assertArrayEquals(expected(END, text), prompt.ids());
      assertEquals(77, prompt.ids().length);
      assertEquals(text.length + 2, prompt.length());
      assertFalse(prompt.truncated());
      assertEquals(0, prompt.droppedTokens());
      long[] mask = prompt.attentionMask();
      assertEquals(text.length + 2, LongStream.of(mask).sum());
      assertEquals(1L, mask[text.length + 1]);
      assertEquals(0L, mask[text.length + 2]);
    }
  }

  @Test
  public void emptyPromptIsStartEndAndPadding() throws IOException {
    try (ClipTokenizer tokenizer = ClipTokenizer.open(wordLevel, ClipTokenizerConfig.CLIP)) {
      TokenizedPrompt prompt = tokenizer.encode("   ");
      assertArrayEquals(expected(END), prompt.ids());
      assertEquals(2, prompt.length());
    }
  }

  @Test
  public void unknownWordsBecomeTheEndToken() throws IOException {
    try (ClipTokenizer tokenizer = ClipTokenizer.open(wordLevel, ClipTokenizerConfig.CLIP)) {
      assertArrayEquals(expected(END, id("a"), END, id("dog")),
          tokenizer.encode("a zebroid dog").ids());
    }
  }

  @Test
  public void truncationIsReportedWithTheNumberOfDroppedTokens() throws IOException {
    try (ClipTokenizer tokenizer = ClipTokenizer.open(wordLevel, ClipTokenizerConfig.CLIP)) {
      TokenizedPrompt fits = tokenizer.encode(String.join(" ", Collections.nCopies(75, "cat")));
      assertFalse(fits.truncated());
      assertEquals(77, fits.length());
      assertEquals(END, fits.ids()[76]);

      TokenizedPrompt cut = tokenizer.encode(String.join(" ", Collections.nCopies(80, "cat")));
      assertTrue(cut.truncated());
      assertEquals(5, cut.droppedTokens());
      assertEquals(77, cut.length());
      long[] ids = cut.ids();
      assertEquals(77, ids.length);
      assertEquals(START, ids[0]);
      assertEquals(id("cat"), ids[75]);
      assertEquals("the end token survives truncation", END, ids[76]);
    }
  }

  @Test
  public void contextLengthComesFromTheConfig() throws IOException {
    ClipTokenizerConfig shortContext =
        new ClipTokenizerConfig(6, ClipTokenizerConfig.START_OF_TEXT,
            ClipTokenizerConfig.END_OF_TEXT, ClipTokenizerConfig.END_OF_TEXT);
    try (ClipTokenizer tokenizer = ClipTokenizer.open(wordLevel, shortContext)) {
      TokenizedPrompt prompt = tokenizer.encode("a red car on a bridge");
      assertArrayEquals(new long[] {START, id("a"), id("red"), id("car"), id("on"), END},
          prompt.ids());
      assertEquals(2, prompt.droppedTokens());
    }
  }

  @Test
  public void batchEncodingMatchesOneByOne() throws IOException {
    List<String> prompts = List.of("a dog running on the beach",
        String.join(" ", Collections.nCopies(90, "fox")), "", "Golden Fish, Swimming");
    try (ClipTokenizer tokenizer = ClipTokenizer.open(wordLevel, ClipTokenizerConfig.CLIP)) {
      List<TokenizedPrompt> batch = tokenizer.encode(prompts);
      assertEquals(prompts.size(), batch.size());
      for (int i = 0; i < prompts.size(); i++) {
        assertEquals(prompts.get(i), tokenizer.encode(prompts.get(i)), batch.get(i));
      }
      assertEquals(15, batch.get(1).droppedTokens());
    }
  }

  /** The tiny CLIP-shaped BPE file: merges make "cat</w>" whole, but split "cats" into cat+s. */
  @Test
  public void bpeTokenizerJsonWorksWithTheSameCode() throws IOException {
    try (ClipTokenizer tokenizer = ClipTokenizer.open(bpe, ClipTokenizerConfig.CLIP)) {
      TokenizedPrompt prompt = tokenizer.encode("A Cat,  cats and DOGS!");
      long[] ids = new long[77];
      Arrays.fill(ids, 22);
      // start, a</w> cat</w> ,(unknown) cat s</w> a n(unknown) d</w> dog s</w> !</w>, end
      long[] real = {21, 9, 15, 22, 14, 11, 1, 22, 20, 17, 11, 8, 22};
      System.arraycopy(real, 0, ids, 0, real.length);
      assertArrayEquals(ids, prompt.ids());
      assertEquals(real.length, prompt.length());
    }
  }

  /** SD 2.x pads with "!", which must be the vocabulary's bare "!" (id 0), not "!</w>". */
  @Test
  public void padTokenIsLookedUpInTheVocabulary() throws IOException {
    ClipTokenizerConfig sd2 = new ClipTokenizerConfig(77, ClipTokenizerConfig.START_OF_TEXT,
        ClipTokenizerConfig.END_OF_TEXT, "!");
    try (ClipTokenizer tokenizer = ClipTokenizer.open(bpe, sd2)) {
      long[] ids = tokenizer.encode("dog").ids();
      assertArrayEquals(new long[] {21, 18, 22, 0, 0}, Arrays.copyOf(ids, 5));
      assertEquals(0L, ids[76]);
    }
  }

  /** Python's tokenizers, using each file's own post-processor, agrees on the unpadded ids. */
  @Test
  public void agreesWithTheFilesOwnPostProcessor() throws IOException {
    for (Path file : List.of(wordLevel, bpe)) {
      try (ClipTokenizer tokenizer = ClipTokenizer.open(file, ClipTokenizerConfig.CLIP);
          HuggingFaceTokenizer plain = HuggingFaceTokenizer.newInstance(file,
              Map.of("truncation", "false", "padding", "false"))) {
        for (String prompt : List.of("a cat and a dog", "cats, dogs!")) {
          TokenizedPrompt ours = tokenizer.encode(prompt);
          assertArrayEquals(file + ": " + prompt, plain.encode(prompt, true, false).getIds(),
              Arrays.copyOf(ours.ids(), ours.length()));
        }
      }
    }
  }

  @Test
  public void opensTheTokenizerOfAModelDirectory() throws IOException {
    Path weights = tmp.getRoot().toPath().resolve("text_encoder.safetensors");
    SafeTensors.write(weights, List.of(new Tensor("w", new long[] {1}, new float[] {1f})));
    ModelDirectory model = ModelDirectory.builder("tiny", "1", "")
        .componentFile("text_encoder", Map.of("hidden", 8), weights)
        .tokenizer(wordLevel, ClipTokenizerConfig.CLIP)
        .write(tmp.getRoot().toPath().resolve("model"));
    try (ClipTokenizer tokenizer = ClipTokenizer.open(ModelDirectory.open(model.root()))) {
      assertEquals(ClipTokenizerConfig.CLIP, tokenizer.config());
      assertArrayEquals(expected(END, id("cat")), tokenizer.encode("cat").ids());
    }
  }

  @Test
  public void refusesTokenizersWithoutTheSpecialTokens() throws IOException {
    Path plain = tmp.getRoot().toPath().resolve("no-specials.json");
    Files.writeString(plain, Files.readString(bpe).replace("<|startoftext|>", "<s>"));
    IOException e = assertThrows(IOException.class,
        () -> ClipTokenizer.open(plain, ClipTokenizerConfig.CLIP));
    assertEquals(plain + " has no token '<|startoftext|>' in added_tokens or model.vocab",
        e.getMessage());

    Path broken = tmp.getRoot().toPath().resolve("broken.json");
    Files.writeString(broken, Files.readString(bpe).replace("\"BPE\"", "\"Nonsense\""));
    e = assertThrows(IOException.class, () -> ClipTokenizer.open(broken, ClipTokenizerConfig.CLIP));
    assertTrue(e.getMessage(), e.getMessage().startsWith(broken + " is not a tokenizer"));
  }

  @Test
  public void refusesVocabularyWordsTheTokenizerCouldNeverProduce() {
    Path file = tmp.getRoot().toPath().resolve("never.json");
    for (List<String> words : List.of(List.of("cat", "cat"), List.of("Cat"),
        List.of("don't"), List.of("two words"), List.of(""), List.of("<|endoftext|>"))) {
      assertThrows(words.toString(), IllegalArgumentException.class,
          () -> TokenizerFiles.writeWordLevel(file, words));
    }
    assertFalse(Files.exists(file));
  }
}
