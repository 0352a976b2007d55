package magicvideo.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import magicvideo.models.nn.Clip;
import magicvideo.models.nn.Conv2d;
import magicvideo.models.nn.Module;
import magicvideo.models.nn.ResnetBlock2D;

/**
 * MagicVideo's VideoVAE: Stable Diffusion's AutoencoderKL (parameter names as diffusers', so SD
 * VAE weights load as they are) whose decoder has temporal attention layers added to remove
 * frame-to-frame dithering. The encoder works frame by frame; the decoder's temporal layers see
 * every frame of the clip (or chunk) they are given.
 *
 * <p>Latents come in two scales. {@link #encode} returns, and {@link #decode} / {@link
 * #decodeChunked} take, the VAE's own latents; diffusion works on latents multiplied by {@code
 * scalingFactor} (unit variance). Convert with {@link #scale} and {@link #unscale}: a sampler's
 * output is decoded as {@code decode(unscale(latents))}.
 */
public final class VideoVae extends Module {
  /** diffusers builds every VAE GroupNorm (and so this one's LayerNorms) with eps 1e-6. */
  static final float NORM_EPS = 1e-6f;

  private final VaeConfig config;
  private final VaeEncoder encoder;
  private final VideoVaeDecoder decoder;
  private final Conv2d quantConv;
  private final Conv2d postQuantConv;

  public VideoVae(VaeConfig config) {
    this.config = config;
    int latent = config.latentChannels();
    this.encoder = child("encoder", new VaeEncoder(config));
    this.decoder = child("decoder", new VideoVaeDecoder(config));
    this.quantConv = child("quant_conv", Conv2d.k1(2 * latent, 2 * latent, 0));
    this.postQuantConv = child("post_quant_conv", Conv2d.k1(latent, latent, 0));
  }

  /** Every VAE ResNet: no timestep embedding, no frame adaptor. */
  static ResnetBlock2D resnet(int in, int out, int groups) {
    return new ResnetBlock2D(in, out, 0, groups, NORM_EPS, 0);
  }

  public VaeConfig config() {
    return config;
  }

  /**
   * Encodes every frame independently.
   *
   * @param frames (B, F, inChannels, H, W) in [-1, 1], H and W multiples of the latent factor
   * @return the posterior over the VAE's own (unscaled) latents, (B, F, latentChannels, H / f, W / f)
   */
  public DiagonalGaussian encode(NDArray frames) {
    Shape s = checkClip(frames, config.inChannels(), "frames");
    int f = config.latentFactor();
    if (s.get(3) % f != 0 || s.get(4) % f != 0) {
      throw new IllegalArgumentException("frame height and width must be multiples of the latent factor "
          + f + ", got " + s.get(3) + "x" + s.get(4));
    }
    Clip clip = new Clip(Math.toIntExact(s.get(0)), Math.toIntExact(s.get(1)));
    // (B, F, C, H, W) -> (B*F, C, H, W)
    NDArray folded = frames.reshape(clip.folded(), s.get(2), s.get(3), s.get(4));
    NDArray moments = quantConv.forward(encoder.forward(folded, clip), clip);
    NDList halves = moments.split(2, 1);
    Shape latent = new Shape(s.get(0), s.get(1), config.latentChannels(), s.get(3) / f, s.get(4) / f);
    return new DiagonalGaussian(halves.get(0).reshape(latent), halves.get(1).reshape(latent));
  }

  /**
   * Decodes a clip in one pass: temporal attention sees all F frames.
   *
   * @param latents (B, F, latentChannels, h, w), the VAE's own latents (see {@link #unscale})
   * @return frames (B, F, inChannels, h * f, w * f), about [-1, 1]
   */
  public NDArray decode(NDArray latents) {
    Shape s = checkClip(latents, config.latentChannels(), "latents");
    Clip clip = new Clip(Math.toIntExact(s.get(0)), Math.toIntExact(s.get(1)));
    NDArray folded = latents.reshape(clip.folded(), s.get(2), s.get(3), s.get(4));
    NDArray frames = decoder.forward(postQuantConv.forward(folded, clip), clip);
    Shape out = frames.getShape();
    return frames.reshape(s.get(0), s.get(1), out.get(1), out.get(2), out.get(3));
  }

  /**
   * Decodes a long clip {@code chunkFrames} frames at a time, for inference: each chunk runs in its
   * own NDManager that is closed once its frames are copied into the result, so memory is bounded
   * by one chunk's activations however long the clip. Temporal attention sees only the frames of
   * its own chunk (chunks do not overlap; the last one may be shorter), so the result equals
   * {@link #decode} only when {@code chunkFrames >= F}; choose chunks as long as memory allows.
   * The result is written in place and carries no gradient.
   *
   * @param latents (B, F, latentChannels, h, w), the VAE's own latents (see {@link #unscale})
   * @return frames (B, F, inChannels, h * f, w * f), on {@code latents}' manager
   */
  public NDArray decodeChunked(NDArray latents, int chunkFrames) {
    if (chunkFrames < 1) {
      throw new IllegalArgumentException("chunkFrames must be >= 1, got " + chunkFrames);
    }
    Shape s = checkClip(latents, config.latentChannels(), "latents");
    long frames = s.get(1);
    int f = config.latentFactor();
    NDArray out = latents.getManager().zeros(
        new Shape(s.get(0), frames, config.inChannels(), s.get(3) * f, s.get(4) * f));
    for (long start = 0; start < frames; start += chunkFrames) {
      long end = Math.min(frames, start + chunkFrames);
      try (NDManager chunkScope = latents.getManager().newSubManager()) {
        NDIndex range = new NDIndex(":, {}:{}", start, end);
        NDArray chunk = latents.get(range);
        chunk.attach(chunkScope);
        out.set(range, decode(chunk));
      }
    }
    return out;
  }

  /** The VAE's latents -> diffusion latents (x scalingFactor). */
  public NDArray scale(NDArray latents) {
    return latents.mul(config.scalingFactor());
  }

  /** Diffusion latents (a sampler's output) -> the VAE's latents (/ scalingFactor). */
  public NDArray unscale(NDArray latents) {
    return latents.div(config.scalingFactor());
  }

  private static Shape checkClip(NDArray x, int channels, String what) {
    Shape s = x.getShape();
    if (s.dimension() != 5 || s.get(2) != channels) {
      throw new IllegalArgumentException(
          "VAE " + what + " must be (B, F, " + channels + ", H, W), got " + s);
    }
    return s;
  }
}
