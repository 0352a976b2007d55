package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * MagicVideo's directed temporal attention: at every spatial position, self-attention across the
 * frames of a clip with a causal mask, so frame i attends only to frames j <= i (motion is
 * generated forward in time; the paper reports fewer artefacts than bidirectional attention). A
 * sinusoidal frame-position encoding is added to the input, and the output projection starts at
 * zero so a fresh branch leaves the image model untouched.
 */
public final class DirectedTemporalAttention extends Attention {

  /** Which frames a frame may attend to. */
  public enum Mode {
    /** frame i sees frames j <= i (the paper's default) */
    DIRECTED,
    /** frame i sees every frame of the clip (the ablation) */
    BIDIRECTIONAL
  }

  private final Mode mode;
  private final int dim;

  public DirectedTemporalAttention(int dim, int heads, Mode mode) {
    super(dim, dim, heads, false, true, Naming.DIFFUSERS);
    this.mode = mode;
    this.dim = dim;
  }

  public Mode mode() {
    return mode;
  }

  /** x: (B * F, HW, C) tokens of every frame -> same shape, attention across F at each position. */
  public NDArray forward(NDArray x, Clip clip) {
    Shape s = x.getShape();
    int b = clip.batch(), f = clip.frames();
    long hw = s.get(1);
    // (B*F, HW, C) -> (B, F, HW, C) -> (B, HW, F, C) -> (B*HW, F, C)
    NDArray t = x.reshape(b, f, hw, dim).transpose(0, 2, 1, 3).reshape((long) b * hw, f, dim);
    NDArray positions = Ops.sinusoid(x.getManager().arange(0f, f), dim).reshape(1, f, dim)
        .toType(x.getDataType(), false);
    t = t.add(positions);
    NDArray mask = mode == Mode.DIRECTED ? causalMask(x.getManager(), f) : null;
    NDArray out = forward(t, null, mask);
    // (B*HW, F, C) -> (B, HW, F, C) -> (B, F, HW, C) -> (B*F, HW, C)
    return out.reshape(b, hw, f, dim).transpose(0, 2, 1, 3).reshape(s);
  }
}
