package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/** Parameter-free operations shared by all networks. The activation is always the first operand. */
public final class Ops {
  private Ops() {}

  /** SiLU as x * sigmoid(x): DJL has no fused SiLU and this is cheaper than its swish. */
  public static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /**
   * x * s. Use this, not {@code x.mul(float)}, wherever gradients may flow: DJL's {@code mul(Number)}
   * wraps the scalar around a Java direct buffer and closes it at once, but autograd keeps the scalar
   * for the backward pass, so once the garbage collector frees the buffer the gradient is computed
   * from freed memory (seen as sporadic 1e10 gradients). {@code full} makes a scalar libtorch owns.
   */
  public static NDArray scale(NDArray x, float s) {
    return x.mul(x.getManager().full(new Shape(), s, x.getDataType()));
  }

  /** CLIP's quick-GELU, x * sigmoid(1.702 x). */
  public static NDArray quickGelu(NDArray x) {
    return x.mul(Activation.sigmoid(scale(x, 1.702f)));
  }

  /** Exact (erf) GELU, as torch.nn.functional.gelu. */
  public static NDArray gelu(NDArray x) {
    return scale(x.mul(scale(x, (float) (1 / Math.sqrt(2))).erf().add(1f)), 0.5f);
  }

  /** Nearest-neighbour x2 upsampling of (N, C, H, W) by broadcast (differentiable, no interp op). */
  public static NDArray upsampleNearest2x(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
    // (N, C, H, W) -> (N, C, H, 1, W, 1) -> (N, C, H, 2, W, 2) -> (N, C, 2H, 2W)
    return x.reshape(n, c, h, 1, w, 1).broadcast(n, c, h, 2, w, 2).reshape(n, c, 2 * h, 2 * w);
  }

  /** Nearest-neighbour upsampling by an integer factor. */
  public static NDArray upsampleNearest(NDArray x, int factor) {
    Shape s = x.getShape();
    long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
    return x.reshape(n, c, h, 1, w, 1).broadcast(n, c, h, factor, w, factor)
        .reshape(n, c, h * factor, w * factor);
  }

  /**
   * Sinusoidal embedding of scalars (timesteps, fps, noise levels, frame positions) as diffusers'
   * get_timestep_embedding with flip_sin_to_cos=true, downscale_freq_shift=0 (Stable Diffusion).
   *
   * @param values shape (N), float
   * @return shape (N, dim): [cos(v * f_k), sin(v * f_k)], f_k = 10000^(-k / (dim/2))
   */
  public static NDArray sinusoid(NDArray values, int dim) {
    int half = dim / 2;
    float[] freqs = new float[half];
    for (int k = 0; k < half; k++) {
      freqs[k] = (float) Math.exp(-Math.log(10000) * k / half);
    }
    NDArray args = values.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(-1, 1)
        .mul(values.getManager().create(freqs).reshape(1, half));
    return args.cos().concat(args.sin(), 1);
  }

  /** Broadcasts per-element rows (B, ...) to every frame: (B, ...) -> (B * F, ...). */
  public static NDArray repeatPerFrame(NDArray x, Clip clip) {
    if (clip.frames() == 1) {
      return x;
    }
    Shape s = x.getShape();
    long[] expanded = new long[s.dimension() + 1];
    expanded[0] = s.get(0);
    expanded[1] = clip.frames();
    for (int i = 1; i < s.dimension(); i++) {
      expanded[i + 1] = s.get(i);
    }
    long[] folded = s.getShape().clone();
    folded[0] = s.get(0) * clip.frames();
    return x.expandDims(1).broadcast(new Shape(expanded)).reshape(new Shape(folded));
  }
}
