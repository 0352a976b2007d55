package magicvideo.models.text;

import ai.djl.ndarray.NDArray;
import magicvideo.models.nn.Attention;
import magicvideo.models.nn.Init;
import magicvideo.models.nn.LayerNorm;
import magicvideo.models.nn.Linear;
import magicvideo.models.nn.Module;

/**
 * One layer of the CLIP text transformer (HF CLIPEncoderLayer): pre-LayerNorm causal
 * self-attention and a two-layer MLP, each with a residual.
 *
 * <p>A fresh layer is initialised as HF's CLIPPreTrainedModel._init_weights (not torch's
 * fan-in default), because the demo trains this encoder from scratch: the projections that write
 * into the residual stream (q/k/v, fc2) are scaled down by sqrt(2 * layers) so a deep stack starts
 * close to the identity, and every bias starts at zero.
 */
final class ClipEncoderLayer extends Module {
  private final ClipTextConfig.Activation activation;
  private final LayerNorm layerNorm1;
  private final Attention selfAttn;
  private final LayerNorm layerNorm2;
  private final Linear fc1;
  private final Linear fc2;

  ClipEncoderLayer(ClipTextConfig c) {
    int d = c.hidden();
    Init inProj = Init.normal(Math.pow(d, -0.5) * Math.pow(2.0 * c.layers(), -0.5));
    Init outProj = Init.normal(Math.pow(d, -0.5));
    Init fcIn = Init.normal(Math.pow(2.0 * d, -0.5));
    this.activation = c.activation();
    this.layerNorm1 = child("layer_norm1", new LayerNorm(d, c.layerNormEps()));
    this.selfAttn = child("self_attn", new Attention(c.heads(), Attention.Naming.CLIP,
        new Linear(d, d, inProj, Init.zeros()), new Linear(d, d, inProj, Init.zeros()),
        new Linear(d, d, inProj, Init.zeros()), new Linear(d, d, outProj, Init.zeros())));
    this.layerNorm2 = child("layer_norm2", new LayerNorm(d, c.layerNormEps()));
    this.fc1 = child("mlp.fc1", new Linear(d, c.intermediate(), fcIn, Init.zeros()));
    this.fc2 = child("mlp.fc2", new Linear(c.intermediate(), d, inProj, Init.zeros()));
  }

  /** x: (B, L, hidden); causalMask: additive (L, L). */
  NDArray forward(NDArray x, NDArray causalMask) {
    NDArray h = x.add(selfAttn.forward(layerNorm1.forward(x), null, causalMask));
    return h.add(fc2.forward(activation.apply(fc1.forward(layerNorm2.forward(h)))));
  }
}
