package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' BasicTransformerBlock (self-attention, cross-attention to the text, GEGLU
 * feed-forward, each pre-LayerNorm with a residual) with MagicVideo's temporal branch beside the
 * spatial attention: z = S-Attn(z) + T-Attn(z), where S-Attn = CrossAttn(LN(SelfAttn(LN(z)))) and
 * T-Attn = DirectedTemporalAttention(LN(z)).
 */
public final class BasicTransformerBlock extends Module {
  private final LayerNorm norm1;
  private final Attention attn1;
  private final LayerNorm norm2;
  private final Attention attn2;
  private final LayerNorm norm3;
  private final FeedForward ff;
  private final LayerNorm normTemp;
  private final DirectedTemporalAttention attnTemp;

  /**
   * @param contextDim width of the text embedding, or 0 for no cross-attention
   * @param temporal temporal attention mode, or null for the image block
   */
  public BasicTransformerBlock(int dim, int heads, int contextDim, DirectedTemporalAttention.Mode temporal) {
    this.norm1 = child("norm1", new LayerNorm(dim, 1e-5f));
    this.attn1 = child("attn1", new Attention(dim, dim, heads, false, false, Attention.Naming.DIFFUSERS));
    if (contextDim > 0) {
      this.norm2 = child("norm2", new LayerNorm(dim, 1e-5f));
      this.attn2 = child("attn2", new Attention(dim, contextDim, heads, false, false, Attention.Naming.DIFFUSERS));
    } else {
      this.norm2 = null;
      this.attn2 = null;
    }
    this.norm3 = child("norm3", new LayerNorm(dim, 1e-5f));
    this.ff = child("ff", new FeedForward(dim, 4));
    if (temporal != null) {
      this.normTemp = child("norm_temp", new LayerNorm(dim, 1e-5f));
      this.attnTemp = child("attn_temp", new DirectedTemporalAttention(dim, heads, temporal));
    } else {
      this.normTemp = null;
      this.attnTemp = null;
    }
  }

  /** x: (B*F, HW, C) tokens; context: (B*F, L, D) or null. */
  public NDArray forward(NDArray x, NDArray context, Clip clip) {
    NDArray s = x.add(attn1.forward(norm1.forward(x), null, null));
    if (attn2 != null) {
      s = s.add(attn2.forward(norm2.forward(s), context, null));
    }
    if (attnTemp != null) {
      s = s.add(attnTemp.forward(normTemp.forward(x), clip));
    }
    return s.add(ff.forward(norm3.forward(s)));
  }
}
