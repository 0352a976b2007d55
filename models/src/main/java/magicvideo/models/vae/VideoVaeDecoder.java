package magicvideo.models.vae;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import magicvideo.models.nn.Clip;
import magicvideo.models.nn.Conv2d;
import magicvideo.models.nn.DirectedTemporalAttention;
import magicvideo.models.nn.GroupNorm;
import magicvideo.models.nn.LayerChain;
import magicvideo.models.nn.Module;
import magicvideo.models.nn.Ops;
import magicvideo.models.nn.ResnetBlock2D;
import magicvideo.models.nn.Upsample2D;

/**
 * diffusers' VAE Decoder (conv_in, mid block, one UpDecoderBlock2D per level with
 * layersPerBlock + 1 ResNets and a nearest x2 upsampler except on the last level,
 * GroupNorm-SiLU-conv_out) with MagicVideo's temporal attention after the mid block and after the
 * ResNets of every up level, where it can smooth features at each resolution across frames.
 */
final class VideoVaeDecoder extends Module {
  private final Conv2d convIn;
  private final VaeMidBlock mid;
  private final List<UpBlock> up;
  private final GroupNorm normOut;
  private final Conv2d convOut;

  private static final class UpBlock extends Module {
    final List<ResnetBlock2D> resnets;
    final VaeTemporalAttention temporal;
    final Upsample2D upsampler;

    UpBlock(List<ResnetBlock2D> resnets, VaeTemporalAttention temporal, Upsample2D upsampler) {
      this.resnets = children("resnets", resnets);
      this.temporal = temporal == null ? null : child("temp_attentions.0", temporal);
      this.upsampler = upsampler == null ? null : child("upsamplers.0", upsampler);
    }
  }

  VideoVaeDecoder(VaeConfig c) {
    int[] ch = c.blockOutChannels();
    int groups = c.normGroups();
    DirectedTemporalAttention.Mode temporal = c.temporal();
    int top = ch[ch.length - 1];
    this.convIn = child("conv_in", Conv2d.k3(c.latentChannels(), top, 0));
    this.mid = child("mid_block", new VaeMidBlock(top, groups, temporal));
    List<UpBlock> blocks = new ArrayList<>();
    int in = top;
    for (int i = 0; i < ch.length; i++) {
      int out = ch[ch.length - 1 - i];
      List<ResnetBlock2D> resnets = new ArrayList<>();
      for (int j = 0; j <= c.layersPerBlock(); j++) {
        resnets.add(VideoVae.resnet(j == 0 ? in : out, out, groups));
      }
      boolean last = i == ch.length - 1;
      blocks.add(new UpBlock(resnets,
          temporal == null ? null : new VaeTemporalAttention(out, temporal),
          last ? null : new Upsample2D(out, 0)));
      in = out;
    }
    this.up = children("up_blocks", blocks);
    this.normOut = child("conv_norm_out", new GroupNorm(groups, ch[0], VideoVae.NORM_EPS));
    this.convOut = child("conv_out", Conv2d.k3(ch[0], c.inChannels(), 0));
  }

  /** (B*F, latentChannels, h, w) -> (B*F, inChannels, h * f, w * f); clip says how frames fold. */
  NDArray forward(NDArray z, Clip clip) {
    List<UnaryOperator<NDArray>> layers = new ArrayList<>();
    layers.add(t -> convIn.forward(t, clip));
    mid.appendLayers(layers, clip);
    for (UpBlock block : up) {
      for (ResnetBlock2D resnet : block.resnets) {
        layers.add(t -> resnet.forward(t, null, clip));
      }
      if (block.temporal != null) {
        layers.add(t -> block.temporal.forward(t, clip));
      }
      if (block.upsampler != null) {
        layers.add(t -> block.upsampler.forward(t, clip));
      }
    }
    layers.add(t -> convOut.forward(Ops.silu(normOut.forward(t)), clip));
    return LayerChain.run(z, layers);
  }
}
