package magicvideo.models.vae;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import magicvideo.models.nn.Clip;
import magicvideo.models.nn.Conv2d;
import magicvideo.models.nn.Downsample2D;
import magicvideo.models.nn.GroupNorm;
import magicvideo.models.nn.LayerChain;
import magicvideo.models.nn.Module;
import magicvideo.models.nn.Ops;
import magicvideo.models.nn.ResnetBlock2D;

/**
 * diffusers' VAE Encoder: conv_in, one DownEncoderBlock2D per level (ResNets, then a stride-2
 * convolution padded right/bottom except on the last level), the mid block, GroupNorm-SiLU-conv_out
 * to the mean and log-variance of the latents. Frames are encoded independently.
 */
final class VaeEncoder extends Module {
  private final Conv2d convIn;
  private final List<DownBlock> down;
  private final VaeMidBlock mid;
  private final GroupNorm normOut;
  private final Conv2d convOut;

  private static final class DownBlock extends Module {
    final List<ResnetBlock2D> resnets;
    final Downsample2D downsampler;

    DownBlock(List<ResnetBlock2D> resnets, Downsample2D downsampler) {
      this.resnets = children("resnets", resnets);
      this.downsampler = downsampler == null ? null : child("downsamplers.0", downsampler);
    }
  }

  VaeEncoder(VaeConfig c) {
    int[] ch = c.blockOutChannels();
    int groups = c.normGroups();
    this.convIn = child("conv_in", Conv2d.k3(c.inChannels(), ch[0], 0));
    List<DownBlock> blocks = new ArrayList<>();
    int in = ch[0];
    for (int i = 0; i < ch.length; i++) {
      int out = ch[i];
      List<ResnetBlock2D> resnets = new ArrayList<>();
      for (int j = 0; j < c.layersPerBlock(); j++) {
        resnets.add(VideoVae.resnet(j == 0 ? in : out, out, groups));
      }
      boolean last = i == ch.length - 1;
      blocks.add(new DownBlock(resnets, last ? null : new Downsample2D(out, true, 0)));
      in = out;
    }
    this.down = children("down_blocks", blocks);
    int top = ch[ch.length - 1];
    this.mid = child("mid_block", new VaeMidBlock(top, groups, null));
    this.normOut = child("conv_norm_out", new GroupNorm(groups, top, VideoVae.NORM_EPS));
    this.convOut = child("conv_out", Conv2d.k3(top, 2 * c.latentChannels(), 0));
  }

  /** (N, inChannels, H, W) -> (N, 2 * latentChannels, H / f, W / f): mean and logvar stacked. */
  NDArray forward(NDArray x, Clip clip) {
    List<UnaryOperator<NDArray>> layers = new ArrayList<>();
    layers.add(t -> convIn.forward(t, clip));
    for (DownBlock block : down) {
      for (ResnetBlock2D resnet : block.resnets) {
        layers.add(t -> resnet.forward(t, null, clip));
      }
      if (block.downsampler != null) {
        layers.add(t -> block.downsampler.forward(t, clip));
      }
    }
    mid.appendLayers(layers, clip);
    layers.add(t -> convOut.forward(Ops.silu(normOut.forward(t)), clip));
    return LayerChain.run(x, layers);
  }
}
