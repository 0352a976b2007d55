package magicvideo.models.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import magicvideo.models.nn.Clip;
import magicvideo.models.nn.Conv2d;
import magicvideo.models.nn.Downsample2D;
import magicvideo.models.nn.GroupNorm;
import magicvideo.models.nn.Module;
import magicvideo.models.nn.Ops;
import magicvideo.models.nn.ResnetBlock2D;
import magicvideo.models.nn.TextTimeEmbedding;
import magicvideo.models.nn.TimestepEmbedding;
import magicvideo.models.nn.Transformer2D;
import magicvideo.models.nn.Upsample2D;

/**
 * MagicVideo's 3D U-Net: Stable Diffusion's 2D U-Net applied to every frame with one shared set
 * of spatial weights, plus frame-wise adaptors, directed temporal attention and FPS conditioning
 * (all starting at identity). Parameter names are diffusers' UNet2DConditionModel names, so SD
 * weights load as they are (see InitFromStableDiffusion).
 */
public final class VideoUNet extends Module {
  private final UNetConfig config;
  private final Conv2d convIn;
  private final TimestepEmbedding timeEmbedding;
  private final TimestepEmbedding fpsEmbedding;
  private final TextTimeEmbedding textTimeEmbedding;
  private final TimestepEmbedding noiseLevelEmbedding;
  private final List<Level> down;
  private final Level mid;
  private final List<Level> up;
  private final GroupNorm normOut;
  private final Conv2d convOut;

  /** The layers of one down/mid/up block: resnets, optional transformers, optional resampler. */
  private static final class Level extends Module {
    final List<ResnetBlock2D> resnets;
    final List<Transformer2D> attentions;
    final Downsample2D downsampler;
    final Upsample2D upsampler;

    Level(List<ResnetBlock2D> resnets, List<Transformer2D> attentions, Downsample2D downsampler,
        Upsample2D upsampler) {
      this.resnets = children("resnets", resnets);
      this.attentions = attentions.isEmpty() ? List.of() : children("attentions", attentions);
      this.downsampler = downsampler == null ? null : child("downsamplers.0", downsampler);
      this.upsampler = upsampler == null ? null : child("upsamplers.0", upsampler);
    }
  }

  public VideoUNet(UNetConfig c) {
    this.config = c;
    int[] ch = c.blockOutChannels();
    int temb = c.timeEmbedDim();
    int frames = c.frameAdaptor() ? c.numFrames() : 0;
    int groups = c.normGroups();
    this.convIn = child("conv_in", Conv2d.k3(c.inChannels(), ch[0], frames));
    this.timeEmbedding = child("time_embedding", new TimestepEmbedding(ch[0], temb, false));
    this.fpsEmbedding = c.fpsConditioning()
        ? child("fps_embedding", new TimestepEmbedding(ch[0], temb, true)) : null;
    this.noiseLevelEmbedding = c.noiseLevelConditioning()
        ? child("class_embedding", new TimestepEmbedding(ch[0], temb, false)) : null;
    this.textTimeEmbedding = c.textTimeEmbedding()
        ? child("add_embedding", new TextTimeEmbedding(c.contextDim(), temb, c.attentionHeads())) : null;

    List<Level> downs = new ArrayList<>();
    int in = ch[0];
    for (int i = 0; i < ch.length; i++) {
      int out = ch[i];
      List<ResnetBlock2D> resnets = new ArrayList<>();
      List<Transformer2D> attns = new ArrayList<>();
      for (int j = 0; j < c.layersPerBlock(); j++) {
        resnets.add(new ResnetBlock2D(j == 0 ? in : out, out, temb, groups, 1e-5f, frames));
        if (c.crossAttention()[i]) {
          attns.add(transformer(c, out, frames));
        }
      }
      boolean last = i == ch.length - 1;
      downs.add(new Level(resnets, attns, last ? null : new Downsample2D(out, false, frames), null));
      in = out;
    }
    this.down = children("down_blocks", downs);

    int top = ch[ch.length - 1];
    this.mid = child("mid_block", new Level(
        List.of(new ResnetBlock2D(top, top, temb, groups, 1e-5f, frames),
            new ResnetBlock2D(top, top, temb, groups, 1e-5f, frames)),
        List.of(transformer(c, top, frames)), null, null));

    List<Level> ups = new ArrayList<>();
    int prevOut = top;
    for (int i = 0; i < ch.length; i++) {
      int level = ch.length - 1 - i;
      int out = ch[level];
      int skipIn = ch[Math.max(level - 1, 0)];
      List<ResnetBlock2D> resnets = new ArrayList<>();
      List<Transformer2D> attns = new ArrayList<>();
      for (int j = 0; j <= c.layersPerBlock(); j++) {
        int skip = j == c.layersPerBlock() ? skipIn : out;
        int resIn = j == 0 ? prevOut : out;
        resnets.add(new ResnetBlock2D(resIn + skip, out, temb, groups, 1e-5f, frames));
        if (c.crossAttention()[level]) {
          attns.add(transformer(c, out, frames));
        }
      }
      boolean last = i == ch.length - 1;
      ups.add(new Level(resnets, attns, null, last ? null : new Upsample2D(out, frames)));
      prevOut = out;
    }
    this.up = children("up_blocks", ups);
    this.normOut = child("conv_norm_out", new GroupNorm(groups, ch[0], 1e-5f));
    this.convOut = child("conv_out", Conv2d.k3(ch[0], c.outChannels(), frames));
  }

  private static Transformer2D transformer(UNetConfig c, int channels, int frames) {
    return new Transformer2D(channels, c.attentionHeads(), c.contextDim(), c.normGroups(), c.temporal(), frames);
  }

  public UNetConfig config() {
    return config;
  }

  /**
   * Predicts the noise (or v) of a batch of clips.
   *
   * @param sample (B, F, inChannels, H, W) noisy latents (+ conditioning channels)
   * @param timesteps (B) diffusion timesteps
   * @param cond text embeddings (B, L, contextDim) and optional fps / noise level, each (B)
   * @return (B, F, outChannels, H, W)
   */
  public NDArray forward(NDArray sample, NDArray timesteps, Conditioning cond) {
    Shape s = sample.getShape();
    if (s.dimension() != 5 || s.get(2) != config.inChannels()) {
      throw new IllegalArgumentException(
          "U-Net input must be (B, F, " + config.inChannels() + ", H, W), got " + s);
    }
    int b = Math.toIntExact(s.get(0)), f = Math.toIntExact(s.get(1));
    long h = s.get(3), w = s.get(4);
    if (h % config.sizeMultiple() != 0 || w % config.sizeMultiple() != 0) {
      throw new IllegalArgumentException("U-Net input height and width must be multiples of "
          + config.sizeMultiple() + ", got " + h + "x" + w);
    }
    if (config.frameAdaptor() && f > config.numFrames()) {
      throw new IllegalArgumentException("this U-Net takes at most " + config.numFrames() + " frames, got " + f);
    }
    Clip clip = new Clip(b, f);

    NDArray emb = timeEmbedding.forward(timesteps);
    if (fpsEmbedding != null) {
      emb = emb.add(fpsEmbedding.forward(require(cond.fps(), "fps")));
    }
    if (noiseLevelEmbedding != null) {
      emb = emb.add(noiseLevelEmbedding.forward(require(cond.noiseLevel(), "noise level")));
    }
    if (textTimeEmbedding != null) {
      emb = emb.add(textTimeEmbedding.forward(require(cond.context(), "text context")));
    }
    emb = Ops.repeatPerFrame(emb, clip);
    NDArray context = config.contextDim() > 0
        ? Ops.repeatPerFrame(require(cond.context(), "text context"), clip) : null;

    // (B, F, C, H, W) -> (B*F, C, H, W): spatial layers see every frame as an image
    NDArray x = convIn.forward(sample.reshape(clip.folded(), s.get(2), h, w), clip);
    Deque<NDArray> skips = new ArrayDeque<>();
    skips.push(x);
    for (Level level : down) {
      for (int j = 0; j < level.resnets.size(); j++) {
        x = level.resnets.get(j).forward(x, emb, clip);
        if (!level.attentions.isEmpty()) {
          x = level.attentions.get(j).forward(x, context, clip);
        }
        skips.push(x);
      }
      if (level.downsampler != null) {
        x = level.downsampler.forward(x, clip);
        skips.push(x);
      }
    }
    x = mid.resnets.get(0).forward(x, emb, clip);
    x = mid.attentions.get(0).forward(x, context, clip);
    x = mid.resnets.get(1).forward(x, emb, clip);
    for (Level level : up) {
      for (int j = 0; j < level.resnets.size(); j++) {
        x = level.resnets.get(j).forward(x.concat(skips.pop(), 1), emb, clip);
        if (!level.attentions.isEmpty()) {
          x = level.attentions.get(j).forward(x, context, clip);
        }
      }
      if (level.upsampler != null) {
        x = level.upsampler.forward(x, clip);
      }
    }
    x = convOut.forward(Ops.silu(normOut.forward(x)), clip);
    return x.reshape(b, f, config.outChannels(), h, w);
  }

  private static NDArray require(NDArray a, String what) {
    if (a == null) {
      throw new IllegalArgumentException("this U-Net is conditioned on " + what + ", but none was given");
    }
    return a;
  }
}
