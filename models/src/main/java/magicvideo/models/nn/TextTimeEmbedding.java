package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * diffusers' {@code TextTimeEmbedding} (UNet2DConditionModel with {@code addition_embed_type="text"}):
 * the text context pooled by attention into one vector, projected to the timestep embedding's width
 * and added to it, so every ResNet block sees the whole prompt as a global condition (Imagen adds
 * its pooled text embedding to the timestep embedding the same way). Cross-attention reads the
 * prompt per pixel; this path reads it once per clip.
 *
 * <p>LayerNorm, attention pooling (a query made of the tokens' mean plus a learnt vector attends to
 * itself and every token; names {@code pool.positional_embedding}, {@code pool.q_proj}, {@code
 * pool.k_proj}, {@code pool.v_proj}), Linear to the embedding width, LayerNorm.
 */
public final class TextTimeEmbedding extends Module {
  private final LayerNorm norm1;
  private final Param positionalEmbedding;
  private final Linear qProj;
  private final Linear kProj;
  private final Linear vProj;
  private final Linear proj;
  private final LayerNorm norm2;
  private final int heads;

  public TextTimeEmbedding(int contextDim, int embedDim, int heads) {
    if (contextDim % heads != 0) {
      throw new IllegalArgumentException("text width " + contextDim + " is not divisible by " + heads + " heads");
    }
    this.heads = heads;
    this.norm1 = child("norm1", new LayerNorm(contextDim, 1e-5f));
    // torch.randn(1, dim) / dim ** 0.5
    this.positionalEmbedding = param("pool.positional_embedding", new Shape(1, contextDim),
        Init.normal(1 / Math.sqrt(contextDim)));
    this.qProj = child("pool.q_proj", new Linear(contextDim, contextDim, true));
    this.kProj = child("pool.k_proj", new Linear(contextDim, contextDim, true));
    this.vProj = child("pool.v_proj", new Linear(contextDim, contextDim, true));
    this.proj = child("proj", new Linear(contextDim, embedDim, true));
    this.norm2 = child("norm2", new LayerNorm(embedDim, 1e-5f));
  }

  /** context (B, L, contextDim) -> (B, embedDim). */
  public NDArray forward(NDArray context) {
    NDArray x = norm1.forward(context);
    NDArray query = x.mean(new int[] {1}, true).add(positionalEmbedding.array().toType(x.getDataType(), false));
    NDArray tokens = query.concat(x, 1);
    NDArray pooled = Attention.attend(qProj.forward(query), kProj.forward(tokens), vProj.forward(tokens), heads, null);
    return norm2.forward(proj.forward(pooled.squeeze(1)));
  }
}
