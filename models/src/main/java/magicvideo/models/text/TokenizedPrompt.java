package magicvideo.models.text;

import java.util.Arrays;

/**
 * A prompt as CLIP token ids: {@code [start, text..., end, pad...]}, always the context length.
 *
 * @param ids the token ids, context length long
 * @param length how many ids are real (start, text and end); the rest is padding
 * @param droppedTokens text tokens cut off because the prompt did not fit the context
 */
public record TokenizedPrompt(long[] ids, int length, int droppedTokens) {

  public TokenizedPrompt {
    if (length < 2 || length > ids.length) {
      throw new IllegalArgumentException(
          "length " + length + " must be in 2.." + ids.length + " (start and end included)");
    }
    if (droppedTokens < 0) {
      throw new IllegalArgumentException("droppedTokens must be >= 0, got " + droppedTokens);
    }
    ids = ids.clone();
  }

  /** The ids, a copy. */
  @Override
  public long[] ids() {
    return ids.clone();
  }

  /** Whether the prompt was longer than the context and lost {@link #droppedTokens()} tokens. */
  public boolean truncated() {
    return droppedTokens > 0;
  }

  /** 1 for the real ids, 0 for padding. */
  public long[] attentionMask() {
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 0, length, 1L);
    return mask;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenizedPrompt t && Arrays.equals(t.ids, ids) && t.length == length
        && t.droppedTokens == droppedTokens;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(ids) + length) + droppedTokens;
  }

  @Override
  public String toString() {
    return "TokenizedPrompt[ids=" + Arrays.toString(Arrays.copyOf(ids, length)) + " + "
        + (ids.length - length) + " pad, droppedTokens=" + droppedTokens + "]";
  }
}
