package magicvideo.models.vae;

import java.util.Arrays;
import magicvideo.models.nn.DirectedTemporalAttention;

/**
 * Shape of a VideoVAE: Stable Diffusion's AutoencoderKL in diffusers' terms, plus MagicVideo's
 * temporal attention in the decoder. Serialises to JSON with Jackson as the {@code config} of a
 * model.json component.
 *
 * @param inChannels image channels (3, RGB)
 * @param latentChannels latent channels (4)
 * @param blockOutChannels width of each resolution level of the encoder (SD: 128, 256, 512, 512);
 *     the decoder uses them in reverse. One x2 resampling between levels.
 * @param layersPerBlock ResNet blocks per encoder level; decoder levels have one more (SD: 2)
 * @param normGroups GroupNorm groups (32 in SD)
 * @param scalingFactor latents are multiplied by this before diffusion so they have about unit
 *     variance (SD 1.5: 0.18215)
 * @param temporal temporal attention after the decoder's mid block and every up level, or null for
 *     the image VAE
 */
public record VaeConfig(
    int inChannels,
    int latentChannels,
    int[] blockOutChannels,
    int layersPerBlock,
    int normGroups,
    float scalingFactor,
    DirectedTemporalAttention.Mode temporal) {

  public VaeConfig {
    if (inChannels < 1 || latentChannels < 1 || layersPerBlock < 1 || normGroups < 1) {
      throw new IllegalArgumentException("inChannels, latentChannels, layersPerBlock, normGroups must be >= 1");
    }
    if (blockOutChannels == null || blockOutChannels.length == 0) {
      throw new IllegalArgumentException("blockOutChannels needs at least one level");
    }
    blockOutChannels = blockOutChannels.clone();
    for (int c : blockOutChannels) {
      if (c % normGroups != 0) {
        throw new IllegalArgumentException("block width " + c + " is not divisible into " + normGroups + " groups");
      }
    }
    if (!(scalingFactor > 0)) {
      throw new IllegalArgumentException("scalingFactor must be > 0, got " + scalingFactor);
    }
  }

  /**
   * Stable Diffusion 1.5's VAE (latent factor 8: 256x256 frames -> 32x32x4 latents) with
   * bidirectional temporal attention: the decoder smooths over the whole chunk it is given.
   */
  public static VaeConfig sd15() {
    return new VaeConfig(3, 4, new int[] {128, 256, 512, 512}, 2, 32, 0.18215f,
        DirectedTemporalAttention.Mode.BIDIRECTIONAL);
  }

  /** Test-sized (latent factor 4, ~0.26 M parameters): the same code paths as sd15. */
  public static VaeConfig tiny() {
    return new VaeConfig(3, 4, new int[] {16, 32, 32}, 1, 8, 0.18215f,
        DirectedTemporalAttention.Mode.BIDIRECTIONAL);
  }

  /**
   * Demo-sized (latent factor 4, ~1.3 M parameters): 32x32-pixel frames <-> 8x8x4 latents, small
   * enough to train on a CPU. The scaling factor is SD's until one is measured on the demo's own latents.
   */
  public static VaeConfig demo() {
    return new VaeConfig(3, 4, new int[] {32, 64, 64}, 2, 8, 0.18215f,
        DirectedTemporalAttention.Mode.BIDIRECTIONAL);
  }

  public int levels() {
    return blockOutChannels.length;
  }

  /** Pixels per latent along each side: one x2 downsampling between levels. */
  public int latentFactor() {
    return 1 << (levels() - 1);
  }

  /** The same VAE without temporal layers: Stable Diffusion's image VAE, frame by frame. */
  public VaeConfig imageOnly() {
    return withTemporal(null);
  }

  public VaeConfig withTemporal(DirectedTemporalAttention.Mode mode) {
    return new VaeConfig(inChannels, latentChannels, blockOutChannels, layersPerBlock, normGroups,
        scalingFactor, mode);
  }

  @Override
  public int[] blockOutChannels() {
    return blockOutChannels.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VaeConfig c && toString().equals(c.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "VaeConfig[in=" + inChannels + ", latent=" + latentChannels + ", blocks="
        + Arrays.toString(blockOutChannels) + ", layers=" + layersPerBlock + ", groups=" + normGroups
        + ", scaling=" + scalingFactor + ", temporal=" + temporal + "]";
  }
}
