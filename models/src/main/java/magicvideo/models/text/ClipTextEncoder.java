package magicvideo.models.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import magicvideo.models.nn.Attention;
import magicvideo.models.nn.Embedding;
import magicvideo.models.nn.Init;
import magicvideo.models.nn.LayerNorm;
import magicvideo.models.nn.Module;

/**
 * The CLIP text encoder of Stable Diffusion (Hugging Face CLIPTextModel): token + position
 * embeddings, a causal pre-LayerNorm transformer, a final LayerNorm. Parameter names are HF's
 * state-dict keys ({@code text_model.encoder.layers.0.self_attn.q_proj.weight}), so SD's
 * text_encoder weights load as they are; HF's {@code text_model.embeddings.position_ids} is a
 * buffer (0..76), not a parameter, and is rebuilt here on every call.
 *
 * <p>Takes token ids, never text: tokenising is ClipTokenizer's job.
 */
public final class ClipTextEncoder extends Module {
  private final ClipTextConfig config;
  private final Embedding tokenEmbedding;
  private final Embedding positionEmbedding;
  private final List<ClipEncoderLayer> layers;
  private final LayerNorm finalLayerNorm;

  public ClipTextEncoder(ClipTextConfig config) {
    this.config = config;
    // CLIP's initialisation of both tables (HF _init_weights: std 0.02)
    this.tokenEmbedding = child("text_model.embeddings.token_embedding",
        new Embedding(config.vocabSize(), config.hidden(), Init.normal(0.02)));
    this.positionEmbedding = child("text_model.embeddings.position_embedding",
        new Embedding(config.contextLength(), config.hidden(), Init.normal(0.02)));
    List<ClipEncoderLayer> stack = new ArrayList<>();
    for (int i = 0; i < config.layers(); i++) {
      stack.add(new ClipEncoderLayer(config));
    }
    this.layers = children("text_model.encoder.layers", stack);
    this.finalLayerNorm = child("text_model.final_layer_norm",
        new LayerNorm(config.hidden(), config.layerNormEps()));
  }

  public ClipTextConfig config() {
    return config;
  }

  /**
   * The last hidden state after the final LayerNorm (HF's last_hidden_state): what the U-Net
   * cross-attends to. Causal, so position i depends only on ids 0..i: whatever follows a
   * prompt's end-of-text token leaves the states up to it unchanged.
   *
   * @param ids (B, L) integer token ids, 1 <= L <= contextLength, each in [0, vocabSize)
   * @return (B, L, hidden), float32, on the manager of {@code ids}
   */
  public NDArray encode(NDArray ids) {
    Shape s = ids.getShape();
    if (s.dimension() != 2 || s.get(1) < 1 || s.get(1) > config.contextLength()) {
      throw new IllegalArgumentException("CLIP text encoder takes ids of shape (batch, length) with 1 <= length <= "
          + config.contextLength() + ", got " + s);
    }
    int length = Math.toIntExact(s.get(1));
    NDManager manager = ids.getManager();
    NDArray x = tokenEmbedding.forward(ids).add(positionEmbedding.forward(manager.arange(0, length)));
    NDArray mask = Attention.causalMask(manager, length);
    for (ClipEncoderLayer layer : layers) {
      x = layer.forward(x, mask);
    }
    return finalLayerNorm.forward(x);
  }

  /**
   * The hidden state at each prompt's first end-of-text token (HF's pooler_output): the sentence
   * feature of CLIP's contrastive objective. The first occurrence matters because SD's tokenizer
   * pads with the end-of-text token itself.
   *
   * @param lastHidden (B, L, hidden) returned by {@link #encode} for {@code ids}
   * @param ids (B, L) the token ids; every row must contain {@code eosTokenId}
   * @return (B, hidden), differentiable with respect to {@code lastHidden}
   */
  public NDArray pooled(NDArray lastHidden, NDArray ids) {
    Shape hs = lastHidden.getShape();
    Shape is = ids.getShape();
    if (hs.dimension() != 3 || is.dimension() != 2 || hs.get(0) != is.get(0) || hs.get(1) != is.get(1)) {
      throw new IllegalArgumentException("pooled needs hidden states (B, L, hidden) of ids (B, L), got "
          + hs + " and " + is);
    }
    int batch = Math.toIntExact(is.get(0));
    int length = Math.toIntExact(is.get(1));
    long[] tokens = ids.toType(DataType.INT64, false).toLongArray();
    long[] rows = new long[batch];
    for (int b = 0; b < batch; b++) {
      rows[b] = (long) b * length + firstEos(tokens, b, length);
    }
    // (B, L, hidden) -> (B*L, hidden) -> the B selected rows
    return lastHidden.reshape(batch * (long) length, hs.get(2)).get(lastHidden.getManager().create(rows));
  }

  private int firstEos(long[] tokens, int row, int length) {
    for (int i = 0; i < length; i++) {
      if (tokens[row * length + i] == config.eosTokenId()) {
        return i;
      }
    }
    throw new IllegalArgumentException("prompt " + row + " of the batch has no end-of-text token ("
        + config.eosTokenId() + ") among its " + length + " ids: nothing to pool");
  }
}
