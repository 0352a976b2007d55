package magicvideo.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import magicvideo.models.nn.Clip;
import magicvideo.models.nn.DirectedTemporalAttention;
import magicvideo.models.nn.LayerNorm;
import magicvideo.models.nn.Module;

/**
 * MagicVideo's addition to the VAE decoder: at every pixel, attention across the frames of the
 * clip ({@code norm}, {@code attn}), added as a residual, so the decoder can even out the
 * frame-to-frame dithering a per-frame decoder produces. One head, as the VAE's own attention;
 * the output projection starts at zero, so a fresh layer is the identity and the VideoVAE starts
 * as Stable Diffusion's image VAE.
 */
final class VaeTemporalAttention extends Module {
  private final LayerNorm norm;
  private final DirectedTemporalAttention attn;

  VaeTemporalAttention(int channels, DirectedTemporalAttention.Mode mode) {
    this.norm = child("norm", new LayerNorm(channels, VideoVae.NORM_EPS));
    this.attn = child("attn", new DirectedTemporalAttention(channels, 1, mode));
  }

  /** x: (B*F, C, H, W) -> same shape. */
  NDArray forward(NDArray x, Clip clip) {
    Shape s = x.getShape();
    long n = s.get(0), c = s.get(1), hw = s.get(2) * s.get(3);
    // (B*F, C, H, W) -> (B*F, HW, C)
    NDArray tokens = x.reshape(n, c, hw).transpose(0, 2, 1);
    NDArray out = attn.forward(norm.forward(tokens), clip);
    // (B*F, HW, C) -> (B*F, C, H, W)
    return x.add(out.transpose(0, 2, 1).reshape(s));
  }
}
