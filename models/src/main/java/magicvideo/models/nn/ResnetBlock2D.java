package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' ResnetBlock2D: GN-SiLU-conv, plus the (timestep) embedding projected per channel,
 * GN-SiLU-conv, and a 1x1 shortcut when the width changes. Every conv may carry a frame adaptor.
 */
public final class ResnetBlock2D extends Module {
  private final GroupNorm norm1;
  private final Conv2d conv1;
  private final Linear timeEmbProj;
  private final GroupNorm norm2;
  private final Conv2d conv2;
  private final Conv2d convShortcut;

  /**
   * @param tembChannels width of the embedding added after conv1, or 0 for none (VAE)
   * @param adaptorFrames frames of the frame-wise adaptors, or 0 for none
   */
  public ResnetBlock2D(int in, int out, int tembChannels, int groups, float eps, int adaptorFrames) {
    this.norm1 = child("norm1", new GroupNorm(groups, in, eps));
    this.conv1 = child("conv1", Conv2d.k3(in, out, adaptorFrames));
    this.timeEmbProj = tembChannels > 0 ? child("time_emb_proj", new Linear(tembChannels, out, true)) : null;
    this.norm2 = child("norm2", new GroupNorm(groups, out, eps));
    this.conv2 = child("conv2", Conv2d.k3(out, out, adaptorFrames));
    this.convShortcut = in != out ? child("conv_shortcut", Conv2d.k1(in, out, adaptorFrames)) : null;
  }

  /** x: (B*F, C, H, W); temb: (B*F, T) or null. */
  public NDArray forward(NDArray x, NDArray temb, Clip clip) {
    NDArray h = conv1.forward(Ops.silu(norm1.forward(x)), clip);
    if (timeEmbProj != null) {
      h = h.add(timeEmbProj.forward(Ops.silu(temb)).expandDims(2).expandDims(3));
    }
    h = conv2.forward(Ops.silu(norm2.forward(h)), clip);
    NDArray skip = convShortcut == null ? x : convShortcut.forward(x, clip);
    return skip.add(h);
  }
}
