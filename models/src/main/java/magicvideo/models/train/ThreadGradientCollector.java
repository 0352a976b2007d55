package magicvideo.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * A gradient collector for one thread: libtorch's grad mode is thread-local, so two training loops
 * on two threads can each record and back-propagate their own graphs (libtorch runs a CPU graph's
 * backward pass on the calling thread). DJL's own collector refuses a second one in the process
 * while one is open (a static flag), which would keep {@link DemoTrainer#parallel} from training
 * independent stages side by side. Gradients accumulate into the leaves' {@code .grad}, as with
 * DJL's; {@link AdamW} reads and clears them.
 */
final class ThreadGradientCollector implements GradientCollector {
  private final boolean wasRecording;

  ThreadGradientCollector() {
    wasRecording = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
  }

  @Override
  public void backward(NDArray target) {
    try (NDArray ones = target.getManager().ones(target.getShape(), target.getDataType())) {
      JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
    }
  }

  @Override
  public void zeroGradients() {
    throw new UnsupportedOperationException("AdamW clears the gradients of the parameters it updates");
  }

  @Override
  public void close() {
    if (!wasRecording) {
      JniUtils.setGradMode(false);
    }
  }
}
