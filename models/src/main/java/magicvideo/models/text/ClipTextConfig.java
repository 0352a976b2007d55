package magicvideo.models.text;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonProperty;
import magicvideo.models.nn.Ops;

/**
 * Shape of a CLIP text encoder, in Hugging Face CLIPTextConfig terms. Serialises to JSON with
 * Jackson as the {@code config} of a model.json component.
 *
 * @param vocabSize token embedding rows (SD 1.5: 49408)
 * @param contextLength token positions, HF's max_position_embeddings (77); prompts may be shorter
 * @param hidden width of the hidden states (768), the U-Net's cross-attention context width
 * @param layers transformer layers (12)
 * @param heads attention heads (12)
 * @param intermediate MLP width (3072)
 * @param activation MLP activation (CLIP: quick_gelu)
 * @param layerNormEps LayerNorm epsilon (1e-5)
 * @param eosTokenId id of the end-of-text token; the pooled output is the hidden state at its
 *     first occurrence (SD 1.5's tokenizer: 49407, its largest id, hence HF's legacy argmax)
 * @param padTokenId id that fills a prompt after its end-of-text token (SD 1.5's tokenizer pads
 *     with 49407 itself); the encoder does not read it, whoever builds the ids does
 */
public record ClipTextConfig(
    int vocabSize,
    int contextLength,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    Activation activation,
    float layerNormEps,
    int eosTokenId,
    int padTokenId) {

  /** The MLP activation, named in JSON as HF's {@code hidden_act}. */
  public enum Activation {
    @JsonProperty("quick_gelu")
    QUICK_GELU,
    @JsonProperty("gelu")
    GELU;

    public NDArray apply(NDArray x) {
      return this == QUICK_GELU ? Ops.quickGelu(x) : Ops.gelu(x);
    }
  }

  public ClipTextConfig {
    if (vocabSize < 1 || contextLength < 1 || hidden < 1 || layers < 1 || heads < 1 || intermediate < 1) {
      throw new IllegalArgumentException("CLIP text config needs positive sizes, got vocab=" + vocabSize
          + ", context=" + contextLength + ", hidden=" + hidden + ", layers=" + layers + ", heads=" + heads
          + ", intermediate=" + intermediate);
    }
    if (hidden % heads != 0) {
      throw new IllegalArgumentException("CLIP text width " + hidden + " is not divisible by " + heads + " heads");
    }
    if (activation == null) {
      throw new IllegalArgumentException("CLIP text config needs an activation (quick_gelu or gelu)");
    }
    if (eosTokenId < 0 || eosTokenId >= vocabSize || padTokenId < 0 || padTokenId >= vocabSize) {
      throw new IllegalArgumentException("CLIP eos id " + eosTokenId + " and pad id " + padTokenId
          + " must lie in the vocabulary [0, " + vocabSize + ")");
    }
  }

  /** The text encoder of Stable Diffusion 1.5 (openai/clip-vit-large-patch14): 123,060,480 parameters. */
  public static ClipTextConfig sd15() {
    return new ClipTextConfig(49408, 77, 768, 12, 12, 3072, Activation.QUICK_GELU, 1e-5f, 49407, 49407);
  }

  /** A test-sized encoder: same code paths, 16 positions, ~29 k parameters. */
  public static ClipTextConfig tiny() {
    return new ClipTextConfig(100, 16, 32, 2, 4, 128, Activation.QUICK_GELU, 1e-5f, 99, 99);
  }

  /**
   * The small encoder the demo trains from scratch. Keeps SD's 77 positions so the same tokenizer
   * output feeds it and the SD-sized encoder; the end-of-text token is the last id of the
   * vocabulary, as in CLIP's tokenizer.
   */
  public static ClipTextConfig demo(int vocabSize) {
    return new ClipTextConfig(vocabSize, 77, 64, 4, 4, 256, Activation.QUICK_GELU, 1e-5f, vocabSize - 1,
        vocabSize - 1);
  }
}
