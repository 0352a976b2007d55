package magicvideo.models.text;

/**
 * How prompts become CLIP token ids: the text encoder's context length and the special tokens.
 * Stored in a model directory as the tokenizer's config.
 *
 * @param contextLength ids per prompt, start and end token included (77 for every CLIP text
 *     encoder used by Stable Diffusion)
 * @param startToken put before the text ({@code <|startoftext|>})
 * @param endToken put after the text ({@code <|endoftext|>})
 * @param padToken fills the rest of the context: {@code <|endoftext|>} for SD 1.x's
 *     openai/clip-vit-large-patch14, {@code !} for SD 2.x's OpenCLIP tokenizer
 */
public record ClipTokenizerConfig(
    int contextLength, String startToken, String endToken, String padToken) {

  public static final String START_OF_TEXT = "<|startoftext|>";
  public static final String END_OF_TEXT = "<|endoftext|>";

  /** Stable Diffusion 1.x conventions: 77 ids, padded with the end token. */
  public static final ClipTokenizerConfig CLIP =
      new ClipTokenizerConfig(77, START_OF_TEXT, END_OF_TEXT, END_OF_TEXT);

  public ClipTokenizerConfig {
    if (contextLength < 2) {
      throw new IllegalArgumentException(
          "contextLength must leave room for the start and end tokens, got " + contextLength);
    }
    for (String token : new String[] {startToken, endToken, padToken}) {
      if (token == null || token.isEmpty()) {
        throw new IllegalArgumentException("special tokens must not be empty: " + this);
      }
    }
  }
}
