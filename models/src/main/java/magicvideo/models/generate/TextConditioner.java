package magicvideo.models.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.text.ClipTokenizer;
import magicvideo.models.text.TokenizedPrompt;

/** Prompts -> CLIP token ids -> text embeddings (B, 77, D), the U-Nets' cross-attention context. */
public final class TextConditioner {
  private final ClipTokenizer tokenizer;
  private final ClipTextEncoder encoder;

  public TextConditioner(ClipTokenizer tokenizer, ClipTextEncoder encoder) {
    this.tokenizer = tokenizer;
    this.encoder = encoder;
  }

  public List<TokenizedPrompt> tokenize(List<String> prompts) {
    return tokenizer.encode(prompts);
  }

  /** Embeddings of {@code prompts} on {@code manager}, in the encoder's dtype. */
  public NDArray embed(NDManager manager, List<String> prompts) {
    return encoder.encode(ids(manager, prompts));
  }

  /** The (B, L) token ids of {@code prompts} on {@code manager}. */
  public NDArray ids(NDManager manager, List<String> prompts) {
    List<TokenizedPrompt> tokens = tokenize(prompts);
    int length = tokens.get(0).ids().length;
    long[] ids = new long[tokens.size() * length];
    for (int i = 0; i < tokens.size(); i++) {
      System.arraycopy(tokens.get(i).ids(), 0, ids, i * length, length);
    }
    return manager.create(ids, new Shape(tokens.size(), length));
  }
}
