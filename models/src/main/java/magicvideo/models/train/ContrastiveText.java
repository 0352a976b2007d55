package magicvideo.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import magicvideo.models.nn.Conv2d;
import magicvideo.models.nn.Linear;
import magicvideo.models.nn.Module;
import magicvideo.models.nn.Ops;
import magicvideo.models.shapes.Caption;
import magicvideo.models.shapes.Colour;
import magicvideo.models.shapes.Direction;
import magicvideo.models.shapes.ShapeKind;

/**
 * CLIP's contrastive objective between the demo's text encoder and a small clip encoder that sees
 * the motion: the keyframe latents of a clip, its frames stacked as channels, go through two
 * convolutions and a linear projection; the prompt's pooled text feature (the end-of-text token's
 * state, {@link magicvideo.models.text.ClipTextEncoder#pooled}) through a linear projection; both
 * are normalised and every clip of a batch is scored against every prompt of it. Only the text
 * encoder is kept: the clip encoder and both projections are the objective's own parameters.
 *
 * <p>Why: a text encoder trained jointly with the keyframe U-Net from scratch learns to tell the
 * colours and shapes apart (the U-Net uses them at every noise level) but collapses the direction
 * words, which the U-Net could only use at the highest noise levels; two clips that differ only in
 * their direction of motion differ as much here as two of different colours, so the direction words
 * must stay apart in the text feature.
 *
 * <p>A batch may hold several clips of the same caption, and prompts that name only some attributes
 * ({@link PartialCaption}): each clip counts every prompt it shows as a match (the target is spread
 * evenly over them), in both directions (clip to text, text to clip).
 */
public final class ContrastiveText extends Module {
  /** CLIP's initial temperature 0.07, kept fixed. */
  static final float LOGIT_SCALE = 1 / 0.07f;

  private final int frames;
  private final int channels;
  private final int side;
  private final Conv2d conv1;
  private final Conv2d conv2;
  private final Linear clipProjection;
  private final Linear textProjection;

  /**
   * @param frames keyframes per clip
   * @param channels latent channels
   * @param side latent height = width
   * @param textWidth the text encoder's hidden width
   * @param embedWidth width of the joint embedding
   */
  public ContrastiveText(int frames, int channels, int side, int textWidth, int embedWidth) {
    if (side % 2 != 0) {
      throw new IllegalArgumentException("the latent side must be even (one stride-2 convolution), got " + side);
    }
    this.frames = frames;
    this.channels = channels;
    this.side = side;
    int width = frames * channels;
    this.conv1 = child("clip.conv1", Conv2d.k3(width, width, 0));
    this.conv2 = child("clip.conv2", new Conv2d(width, width, 3, 2, 1, 0));
    this.clipProjection = child("clip.proj", new Linear(width * (side / 2) * (side / 2), embedWidth, false));
    this.textProjection = child("text.proj", new Linear(textWidth, embedWidth, false));
  }

  /** (B, F, C, H, W) keyframe latents -> (B, embedWidth), unit length. */
  public NDArray embedClips(NDArray latents) {
    Shape s = latents.getShape();
    if (s.dimension() != 5 || s.get(1) != frames || s.get(2) != channels || s.get(3) != side || s.get(4) != side) {
      throw new IllegalArgumentException("the clip encoder takes (batch, " + frames + ", " + channels + ", " + side
          + ", " + side + ") latents, got " + s);
    }
    long b = s.get(0);
    NDArray x = latents.reshape(b, (long) frames * channels, side, side);
    x = Ops.silu(conv1.forward(x, null));
    x = Ops.silu(conv2.forward(x, null));
    return unit(clipProjection.forward(x.reshape(b, -1)));
  }

  /** (B, textWidth) pooled text features -> (B, embedWidth), unit length. */
  public NDArray embedTexts(NDArray pooled) {
    return unit(textProjection.forward(pooled));
  }

  /**
   * The cross-entropy of matching {@code clips} to {@code texts} in both directions, where clip i
   * matches every text j with {@code matches[i][j]} (a text that names fewer attributes matches more
   * clips): each clip's target is spread evenly over the texts it matches, each text's over the
   * clips that match it. Clip i must match text i.
   */
  public NDArray loss(NDManager m, NDArray clips, NDArray texts, boolean[][] matches) {
    int b = matches.length;
    float[] clipTargets = new float[b * b];
    float[] textTargets = new float[b * b];
    for (int i = 0; i < b; i++) {
      if (!matches[i][i]) {
        throw new IllegalArgumentException("clip " + i + " does not match its own text");
      }
      int perClip = 0;
      int perText = 0;
      for (int j = 0; j < b; j++) {
        perClip += matches[i][j] ? 1 : 0;
        perText += matches[j][i] ? 1 : 0;
      }
      for (int j = 0; j < b; j++) {
        clipTargets[i * b + j] = matches[i][j] ? 1f / perClip : 0f; // row i: over texts
        textTargets[j * b + i] = matches[j][i] ? 1f / perText : 0f; // column i: over clips
      }
    }
    NDArray logits = clips.matMul(texts.transpose()).mul(LOGIT_SCALE);
    NDArray clipToText = logits.logSoftmax(1).mul(m.create(clipTargets, new Shape(b, b)).duplicate()).sum().neg();
    NDArray textToClip = logits.logSoftmax(0).mul(m.create(textTargets, new Shape(b, b)).duplicate()).sum().neg();
    return clipToText.add(textToClip).div(2f * b);
  }

  /**
   * Some of a caption's attributes (null: not named), as a prompt: "a red circle moving left", "a
   * red circle", "a circle moving left", "a red moving left", "a red", "a circle", "moving left".
   * Training on such partial prompts too makes each word add its own attribute to the text feature,
   * so that combinations never seen (the held-out pairs) still land where their words point instead
   * of on the nearest caption seen.
   */
  public record PartialCaption(Colour colour, ShapeKind shape, Direction direction) {
    public PartialCaption {
      if (colour == null && shape == null && direction == null) {
        throw new IllegalArgumentException("a partial caption names at least one attribute");
      }
    }

    /**
     * With probability {@code partial}, a random proper subset of {@code caption}'s attributes (each
     * of the six equally likely), else the whole caption.
     */
    public static PartialCaption draw(Caption caption, SplittableRandom random, double partial) {
      int keep = random.nextDouble() < partial ? 1 + random.nextInt(6) : 7; // bits: colour, shape, direction
      return new PartialCaption((keep & 1) != 0 ? caption.colour() : null, (keep & 2) != 0 ? caption.shape() : null,
          (keep & 4) != 0 ? caption.direction() : null);
    }

    public String text() {
      StringBuilder s = new StringBuilder();
      if (colour != null || shape != null) {
        s.append("a");
        if (colour != null) {
          s.append(' ').append(colour.word());
        }
        if (shape != null) {
          s.append(' ').append(shape.word());
        }
      }
      if (direction != null) {
        s.append(s.isEmpty() ? "" : " ").append("moving ").append(direction.word());
      }
      return s.toString();
    }

    /** Whether a clip of {@code caption} shows what this names. */
    public boolean matches(Caption caption) {
      return (colour == null || colour == caption.colour()) && (shape == null || shape == caption.shape())
          && (direction == null || direction == caption.direction());
    }
  }

  private static NDArray unit(NDArray x) {
    return x.div(x.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
  }
}
