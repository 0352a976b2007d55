package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs layers one after another so that only the current activation stays alive. DJL keeps every
 * intermediate array until its manager closes, where PyTorch frees it as soon as it is unused; a
 * forward pass through an SD-sized VAE decoder would otherwise hold every GroupNorm, SiLU and
 * convolution temporary of every layer at once (measured: 715 arrays, 3.8 GB, after decoding 2
 * frames of 128x128 with the sd15 VAE; 0.8 MB with this chain, and 2.7x faster on 2 CPU cores).
 * Each layer runs in its own sub-manager, its output moves to the
 * input's manager, and the previous activation (never the caller's input) is closed. Autograd's
 * graph holds its own references to what backward needs, so closing the Java handles is safe
 * under a GradientCollector too.
 */
public final class LayerChain {
  private LayerChain() {}

  /**
   * @param input stays open and on its manager
   * @param layers applied in order; each must return a new array (not its argument)
   * @return the last layer's output, on {@code input}'s manager
   */
  public static NDArray run(NDArray input, List<UnaryOperator<NDArray>> layers) {
    NDManager owner = input.getManager();
    NDArray x = input;
    for (UnaryOperator<NDArray> layer : layers) {
      NDArray y;
      try (NDManager scope = owner.newSubManager()) {
        // the layer's temporaries join the manager of their first operand, the activation
        x.tempAttach(scope);
        y = layer.apply(x);
        if (y == x) {
          throw new IllegalStateException("a layer of the chain returned its input");
        }
        y.attach(owner);
      }
      if (x != input) {
        x.close();
      }
      x = y;
    }
    return x;
  }
}
