package magicvideo.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import magicvideo.models.nn.Param;

/**
 * AdamW (Loshchilov and Hutter) with bias correction and global gradient-norm clipping, updating
 * parameters in place. Its moment buffers are allocated up front on their own manager: DJL's own
 * Adam creates them lazily inside the first step, where a step scope would free them.
 *
 * <p>Call {@link #step} after the gradient collector is closed (grad mode off), so the in-place
 * updates are not recorded; it also zeroes the gradients for the next step.
 */
public final class AdamW implements AutoCloseable {
  private final List<String> names = new ArrayList<>();
  private final List<NDArray> weights = new ArrayList<>();
  private final List<NDArray> first = new ArrayList<>();
  private final List<NDArray> second = new ArrayList<>();
  private final List<Boolean> decays = new ArrayList<>();
  private final NDManager state;
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private final float clipNorm;
  private int t;
  private List<String> lastNonFinite = List.of();

  /**
   * @param params the trainable parameters (gradients are switched on here); weight decay skips
   *     biases and 1-d parameters (norm scales), as is usual
   * @param clipNorm the global gradient norm is clipped to this (<= 0: no clipping)
   */
  public AdamW(Map<String, Param> params, NDManager parent, float beta1, float beta2, float eps, float weightDecay,
      float clipNorm) {
    this.state = parent.newSubManager();
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.clipNorm = clipNorm;
    for (var e : params.entrySet()) {
      NDArray w = e.getValue().array();
      names.add(e.getKey());
      w.setRequiresGradient(true);
      weights.add(w);
      first.add(state.zeros(w.getShape()));
      second.add(state.zeros(w.getShape()));
      decays.add(w.getShape().dimension() > 1);
    }
  }

  /** The usual defaults: betas 0.9 / 0.999, eps 1e-8, weight decay 0.01, clip at norm 1. */
  public static AdamW standard(Map<String, Param> params, NDManager parent) {
    return new AdamW(params, parent, 0.9f, 0.999f, 1e-8f, 0.01f, 1f);
  }

  /**
   * One update with learning rate {@code lr}; returns the gradient norm before clipping. When the
   * gradients are not finite, nothing is updated (as a mixed-precision loss scaler skips such a
   * step), the gradients are cleared, the parameters that had them are in {@link #lastNonFinite},
   * and the norm returned is not finite.
   */
  public float step(float lr) {
    // every temporary of the update (gradient handles included) is freed when the scope closes
    try (NDScope scope = new NDScope()) {
      List<NDArray> grads = new ArrayList<>(weights.size());
      double sumSquares = 0;
      for (NDArray w : weights) {
        NDArray g = w.getGradient();
        grads.add(g);
        sumSquares += g.square().sum().getFloat();
      }
      float norm = (float) Math.sqrt(sumSquares);
      if (!Float.isFinite(norm)) {
        lastNonFinite = nonFinite(grads);
        clearGradients();
        return norm;
      }
      t++;
      float scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1f;
      float correction1 = 1f - (float) Math.pow(beta1, t);
      float correction2 = 1f - (float) Math.pow(beta2, t);
      for (int i = 0; i < weights.size(); i++) {
        NDArray w = weights.get(i);
        NDArray g = grads.get(i);
        NDArray clipped = g.mul(scale);
        first.get(i).muli(beta1).addi(clipped.mul(1f - beta1));
        second.get(i).muli(beta2).addi(clipped.square().muli(1f - beta2));
        if (decays.get(i) && weightDecay > 0) {
          w.muli(1f - lr * weightDecay);
        }
        NDArray denominator = second.get(i).div(correction2).sqrt().addi(eps);
        w.subi(first.get(i).div(correction1).divi(denominator).muli(lr));
        g.subi(g); // gradients accumulate in libtorch: zero them for the next step
      }
      return norm;
    }
  }

  /** Sets every gradient to zero without updating (a step that is skipped). */
  public void clearGradients() {
    try (NDScope scope = new NDScope()) {
      // NaN - NaN is NaN: overwrite, do not subtract
      weights.forEach(w -> w.getGradient().set(new NDIndex("..."), 0f));
    }
  }

  /** The parameters whose gradients were not finite at the last skipped step. */
  public List<String> lastNonFinite() {
    return lastNonFinite;
  }

  private List<String> nonFinite(List<NDArray> grads) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      if (!Float.isFinite(grads.get(i).square().sum().getFloat())) {
        out.add(names.get(i));
      }
    }
    return out;
  }

  /** Frees the moment buffers and switches the parameters' gradients off again (they are frozen now). */
  @Override
  public void close() {
    weights.forEach(w -> w.setRequiresGradient(false));
    state.close();
  }
}
