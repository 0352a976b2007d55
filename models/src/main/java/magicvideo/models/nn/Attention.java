package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head attention with query/key/value/output projections. {@link Naming} picks the
 * parameter names of the checkpoint family (diffusers {@code to_q ... to_out.0}, or CLIP
 * {@code q_proj ... out_proj}); the math is {@link #attend}, the one scaled-dot-product
 * implementation of the project.
 */
public class Attention extends Module {

  /** Parameter names of the projections in the checkpoint family this layer loads from. */
  public enum Naming {
    DIFFUSERS("to_q", "to_k", "to_v", "to_out.0"),
    CLIP("q_proj", "k_proj", "v_proj", "out_proj");

    final String q, k, v, out;

    Naming(String q, String k, String v, String out) {
      this.q = q;
      this.k = k;
      this.v = v;
      this.out = out;
    }
  }

  protected final int heads;
  protected final Linear toQ;
  protected final Linear toK;
  protected final Linear toV;
  protected final Linear toOut;

  /**
   * @param dim query (and output) width
   * @param contextDim key/value input width (= dim for self-attention)
   * @param heads number of heads; head size = dim / heads
   * @param qkvBias whether q/k/v projections have a bias (SD U-Net: no; VAE and CLIP: yes)
   * @param zeroOut zero-initialise the output projection so the layer starts as a no-op branch
   */
  public Attention(int dim, int contextDim, int heads, boolean qkvBias, boolean zeroOut, Naming naming) {
    this(heads, naming, new Linear(dim, dim, qkvBias), new Linear(contextDim, dim, qkvBias),
        new Linear(contextDim, dim, qkvBias),
        zeroOut ? new Linear(dim, dim, true, Init.zeros()) : new Linear(dim, dim, true));
  }

  /**
   * Attention over projections the caller built, for checkpoint families that initialise them
   * their own way (a fresh CLIP draws its projections from depth-scaled normals).
   */
  public Attention(int heads, Naming naming, Linear q, Linear k, Linear v, Linear out) {
    long dim = q.outFeatures();
    if (dim % heads != 0) {
      throw new IllegalArgumentException("attention width " + dim + " is not divisible by " + heads + " heads");
    }
    if (k.outFeatures() != dim || v.outFeatures() != dim) {
      throw new IllegalArgumentException("attention projections disagree: q gives " + dim + ", k "
          + k.outFeatures() + ", v " + v.outFeatures() + " features");
    }
    this.heads = heads;
    this.toQ = child(naming.q, q);
    this.toK = child(naming.k, k);
    this.toV = child(naming.v, v);
    this.toOut = child(naming.out, out);
  }

  /**
   * @param x (N, L, C) queries
   * @param context (N, M, Cc) keys/values, or null for self-attention
   * @param mask additive (L, M) mask (0 or -inf), or null
   */
  public NDArray forward(NDArray x, NDArray context, NDArray mask) {
    NDArray kv = context == null ? x : context;
    return toOut.forward(attend(toQ.forward(x), toK.forward(kv), toV.forward(kv), heads, mask));
  }

  /**
   * softmax(q k^T / sqrt(d) + mask) v per head. q: (N, L, h*d); k, v: (N, M, h*d) -> (N, L, h*d).
   * DJL has no fused SDPA op, so this is batchMatMul + softmax.
   */
  public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, NDArray mask) {
    Shape qs = q.getShape();
    long n = qs.get(0), l = qs.get(1), c = qs.get(2), m = k.getShape().get(1);
    long d = c / heads;
    FlopCounter.add(4L * n * l * m * c);
    // (N, L, h*d) -> (N, h, L, d) -> (N*h, L, d)
    NDArray qh = q.reshape(n, l, heads, d).transpose(0, 2, 1, 3).reshape(n * heads, l, d);
    NDArray kh = k.reshape(n, m, heads, d).transpose(0, 2, 3, 1).reshape(n * heads, d, m);
    NDArray vh = v.reshape(n, m, heads, d).transpose(0, 2, 1, 3).reshape(n * heads, m, d);
    NDArray scores = Ops.scale(qh, (float) (1 / Math.sqrt(d))).batchMatMul(kh);
    if (mask != null) {
      scores = scores.add(mask.toType(scores.getDataType(), false));
    }
    NDArray out = scores.softmax(-1).batchMatMul(vh);
    // (N*h, L, d) -> (N, L, h*d)
    return out.reshape(n, heads, l, d).transpose(0, 2, 1, 3).reshape(n, l, c);
  }

  /** Additive causal mask (L, L): position i sees j <= i. */
  public static NDArray causalMask(ai.djl.ndarray.NDManager manager, int length) {
    float[] m = new float[length * length];
    for (int i = 0; i < length; i++) {
      for (int j = i + 1; j < length; j++) {
        m[i * length + j] = Float.NEGATIVE_INFINITY;
      }
    }
    return manager.create(m, new Shape(length, length));
  }
}
