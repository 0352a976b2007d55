package magicvideo.models.vae;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.UnaryOperator;
import magicvideo.models.nn.Clip;
import magicvideo.models.nn.DirectedTemporalAttention;
import magicvideo.models.nn.Module;
import magicvideo.models.nn.ResnetBlock2D;

/**
 * diffusers' UNetMidBlock2D as the VAE uses it (no timestep embedding): ResNet, self-attention,
 * ResNet, then in the video decoder a temporal attention layer.
 */
final class VaeMidBlock extends Module {
  private final ResnetBlock2D first;
  private final VaeSelfAttention attention;
  private final ResnetBlock2D second;
  private final VaeTemporalAttention temporal;

  /** @param temporal temporal attention mode, or null for none (encoder, image decoder) */
  VaeMidBlock(int channels, int groups, DirectedTemporalAttention.Mode temporal) {
    this.first = child("resnets.0", VideoVae.resnet(channels, channels, groups));
    this.attention = child("attentions.0", new VaeSelfAttention(channels, groups));
    this.second = child("resnets.1", VideoVae.resnet(channels, channels, groups));
    this.temporal = temporal == null ? null
        : child("temp_attentions.0", new VaeTemporalAttention(channels, temporal));
  }

  /** Appends this block's layers, in order, to a {@link magicvideo.models.nn.LayerChain}. */
  void appendLayers(List<UnaryOperator<NDArray>> layers, Clip clip) {
    layers.add(x -> first.forward(x, null, clip));
    layers.add(attention::forward);
    layers.add(x -> second.forward(x, null, clip));
    if (temporal != null) {
      layers.add(x -> temporal.forward(x, clip));
    }
  }
}
