/**
 * Prompt tokenization for the CLIP text encoder: {@link magicvideo.models.text.ClipTokenizer}
 * turns prompts into 77 ids ({@code <|startoftext|>}, text, {@code <|endoftext|>}, padding) and
 * reports truncation; {@link magicvideo.models.text.TokenizerFiles} writes word-level
 * tokenizer.json files for vocabularies of our own.
 */
package magicvideo.models.text;
