package magicvideo.models.unet;

import magicvideo.models.nn.DirectedTemporalAttention;

/**
 * Shape of a MagicVideo U-Net, in diffusers' UNet2DConditionModel terms plus the video additions.
 * One config type drives the keyframe denoiser, the interpolation network and the
 * super-resolution network (they differ in channels and conditioning, not in code). Serialises to
 * JSON with Jackson as the {@code config} of a model.json component.
 *
 * @param inChannels input channels (keyframes 4; interpolation 4 + 4 + 1; super-resolution 3 + 3)
 * @param outChannels predicted channels
 * @param blockOutChannels width of each resolution level (SD 1.5: 320, 640, 1280, 1280)
 * @param crossAttention per level, whether its blocks have transformer layers (SD 1.5: T, T, T, F)
 * @param layersPerBlock ResNet (+ transformer) layers per down level; up levels have one more
 * @param contextDim text embedding width for cross-attention, 0 for none
 * @param attentionHeads heads of every attention layer (SD 1.5 config "attention_head_dim: 8")
 * @param normGroups GroupNorm groups (32 in SD)
 * @param temporal directed/bidirectional temporal attention in every transformer block, or null
 * @param frameAdaptor frame-wise adaptor after every 2D convolution
 * @param numFrames frames per clip the adaptors are built for (16 keyframes)
 * @param fpsConditioning add an FPS embedding to the timestep embedding
 * @param noiseLevelConditioning add a noise-augmentation-level embedding (super-resolution)
 * @param textTimeEmbedding add the attention-pooled text context to the timestep embedding
 *     (diffusers' {@code addition_embed_type="text"}; SD 1.5 has none): the prompt as a global
 *     condition of every ResNet block, besides the per-pixel cross-attention
 */
public record UNetConfig(
    int inChannels,
    int outChannels,
    int[] blockOutChannels,
    boolean[] crossAttention,
    int layersPerBlock,
    int contextDim,
    int attentionHeads,
    int normGroups,
    DirectedTemporalAttention.Mode temporal,
    boolean frameAdaptor,
    int numFrames,
    boolean fpsConditioning,
    boolean noiseLevelConditioning,
    boolean textTimeEmbedding) {

  public UNetConfig {
    if (blockOutChannels.length == 0 || blockOutChannels.length != crossAttention.length) {
      throw new IllegalArgumentException("blockOutChannels and crossAttention need the same, non-zero length");
    }
    if (numFrames < 1 || layersPerBlock < 1 || attentionHeads < 1 || normGroups < 1) {
      throw new IllegalArgumentException("numFrames, layersPerBlock, attentionHeads, normGroups must be >= 1");
    }
    if (textTimeEmbedding && contextDim <= 0) {
      throw new IllegalArgumentException("textTimeEmbedding needs a text context (contextDim > 0)");
    }
  }

  /** Without a text-time embedding, as SD 1.5's U-Net. */
  public UNetConfig(int inChannels, int outChannels, int[] blockOutChannels, boolean[] crossAttention,
      int layersPerBlock, int contextDim, int attentionHeads, int normGroups, DirectedTemporalAttention.Mode temporal,
      boolean frameAdaptor, int numFrames, boolean fpsConditioning, boolean noiseLevelConditioning) {
    this(inChannels, outChannels, blockOutChannels, crossAttention, layersPerBlock, contextDim, attentionHeads,
        normGroups, temporal, frameAdaptor, numFrames, fpsConditioning, noiseLevelConditioning, false);
  }

  /** The SD 1.5 U-Net with MagicVideo's additions: 16 keyframes of 4-channel latents. */
  public static UNetConfig sd15Keyframes() {
    return new UNetConfig(4, 4, new int[] {320, 640, 1280, 1280}, new boolean[] {true, true, true, false},
        2, 768, 8, 32, DirectedTemporalAttention.Mode.DIRECTED, true, 16, true, false);
  }

  /** A test-sized keyframe denoiser (same code paths, ~1.2 M parameters). */
  public static UNetConfig tinyKeyframes() {
    return new UNetConfig(4, 4, new int[] {32, 64}, new boolean[] {true, true},
        1, 32, 4, 8, DirectedTemporalAttention.Mode.DIRECTED, true, 8, true, false);
  }

  /** A mid-sized keyframe denoiser for benchmarks (~28 M parameters). */
  public static UNetConfig mediumKeyframes() {
    return new UNetConfig(4, 4, new int[] {64, 128, 256}, new boolean[] {true, true, true},
        2, 256, 8, 32, DirectedTemporalAttention.Mode.DIRECTED, true, 16, true, false);
  }

  /**
   * Interpolation network for {@code between} new frames between two keyframes: the window is
   * [key, new x between, key]; input = noisy latents (4) + keyframe latents at their positions
   * (4) + a mask channel (1) that is 1 where a keyframe is given.
   */
  public static UNetConfig sd15Interpolation(int between) {
    return new UNetConfig(9, 4, new int[] {320, 640, 1280, 1280}, new boolean[] {true, true, true, false},
        2, 768, 8, 32, DirectedTemporalAttention.Mode.BIDIRECTIONAL, true, between + 2, true, false);
  }

  /** A mid-sized interpolation network for benchmarks. */
  public static UNetConfig mediumInterpolation(int between) {
    return new UNetConfig(9, 4, new int[] {64, 128, 256}, new boolean[] {true, true, true},
        2, 256, 8, 32, DirectedTemporalAttention.Mode.BIDIRECTIONAL, true, between + 2, true, false);
  }

  public static UNetConfig tinyInterpolation(int between) {
    return new UNetConfig(9, 4, new int[] {32, 64}, new boolean[] {true, true},
        1, 32, 4, 8, DirectedTemporalAttention.Mode.BIDIRECTIONAL, true, between + 2, true, false);
  }

  /**
   * Super-resolution in pixel space: noisy high-res RGB (3) + the nearest-upsampled low-res frames
   * (3), a noise-level embedding as SD's x4 upscaler, attention only at low resolution (SD's
   * upscaler has none in its first block), temporal attention across the frames of a chunk.
   */
  public static UNetConfig sd15SuperResolution() {
    return new UNetConfig(6, 3, new int[] {128, 256, 512, 512}, new boolean[] {false, true, true, true},
        2, 768, 8, 32, DirectedTemporalAttention.Mode.BIDIRECTIONAL, false, 16, false, true);
  }

  /** A mid-sized super-resolution network for benchmarks. */
  public static UNetConfig mediumSuperResolution() {
    return new UNetConfig(6, 3, new int[] {32, 64, 128}, new boolean[] {false, false, true},
        1, 256, 8, 16, DirectedTemporalAttention.Mode.BIDIRECTIONAL, false, 8, false, true);
  }

  public static UNetConfig tinySuperResolution() {
    // narrow at full resolution: pixel-space super-resolution spends most of its FLOPs there
    return new UNetConfig(6, 3, new int[] {8, 16, 32}, new boolean[] {false, false, true},
        1, 32, 4, 4, DirectedTemporalAttention.Mode.BIDIRECTIONAL, false, 8, false, true);
  }

  public int levels() {
    return blockOutChannels.length;
  }

  /** Spatial sizes must be divisible by this (one x2 downsampling between levels). */
  public int sizeMultiple() {
    return 1 << (levels() - 1);
  }

  public int timeEmbedDim() {
    return blockOutChannels[0] * 4;
  }

  /** The same network without the video additions: the image U-Net the paper starts from. */
  public UNetConfig imageOnly() {
    return new UNetConfig(inChannels, outChannels, blockOutChannels, crossAttention, layersPerBlock,
        contextDim, attentionHeads, normGroups, null, false, numFrames, false, noiseLevelConditioning,
        textTimeEmbedding);
  }

  public UNetConfig withTemporal(DirectedTemporalAttention.Mode mode) {
    return new UNetConfig(inChannels, outChannels, blockOutChannels, crossAttention, layersPerBlock,
        contextDim, attentionHeads, normGroups, mode, frameAdaptor, numFrames, fpsConditioning,
        noiseLevelConditioning, textTimeEmbedding);
  }

  public UNetConfig withFrameAdaptor(boolean on) {
    return new UNetConfig(inChannels, outChannels, blockOutChannels, crossAttention, layersPerBlock,
        contextDim, attentionHeads, normGroups, temporal, on, numFrames, fpsConditioning,
        noiseLevelConditioning, textTimeEmbedding);
  }

  public UNetConfig withContextDim(int dim) {
    return new UNetConfig(inChannels, outChannels, blockOutChannels, crossAttention, layersPerBlock,
        dim, attentionHeads, normGroups, temporal, frameAdaptor, numFrames, fpsConditioning,
        noiseLevelConditioning, textTimeEmbedding);
  }

  public UNetConfig withTextTimeEmbedding(boolean on) {
    return new UNetConfig(inChannels, outChannels, blockOutChannels, crossAttention, layersPerBlock,
        contextDim, attentionHeads, normGroups, temporal, frameAdaptor, numFrames, fpsConditioning,
        noiseLevelConditioning, on);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UNetConfig c && toString().equals(c.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "UNetConfig[in=" + inChannels + ", out=" + outChannels + ", blocks="
        + java.util.Arrays.toString(blockOutChannels) + ", cross=" + java.util.Arrays.toString(crossAttention)
        + ", layers=" + layersPerBlock + ", context=" + contextDim + ", heads=" + attentionHeads
        + ", groups=" + normGroups + ", temporal=" + temporal + ", adaptor=" + frameAdaptor
        + ", frames=" + numFrames + ", fps=" + fpsConditioning + ", noiseLevel=" + noiseLevelConditioning
        + ", textTime=" + textTimeEmbedding + "]";
  }
}
