package magicvideo.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import magicvideo.models.nn.Param;

/**
 * Runs a training objective for a number of steps with AdamW, a linear warm-up then cosine decay of
 * the learning rate, progress lines and a record of the losses. Every step runs in its own scope,
 * so memory stays flat however long the run. Loops on different threads may run at the same time
 * on different parameters ({@link ThreadGradientCollector}).
 */
public final class TrainingLoop {
  /**
   * One step's loss on a fresh batch; arrays it creates belong to the step's scope. The batch (and
   * its noise and timesteps) must be a function of {@code index}: negative indices are the fixed
   * probe batches the loss is measured on before and after training.
   */
  @FunctionalInterface
  public interface Objective {
    NDArray loss(NDManager step, int index);
  }

  /** Probe batches (indices -1 .. -PROBES) the loss is measured on before and after training. */
  static final int PROBES = 4;

  /**
   * What a run did: the loss of every step, the mean loss on the probe batches before and after
   * training (the same batches, noise and timesteps, so the two are comparable), the time it took,
   * and how many steps were skipped for non-finite gradients.
   */
  public record Result(String name, float[] losses, double probeBefore, double probeAfter, double seconds,
      int skippedSteps) {
    /** Mean loss over the first {@code n} steps. */
    public double meanFirst(int n) {
      return mean(0, Math.min(n, losses.length));
    }

    /** Mean loss over the last {@code n} steps. */
    public double meanLast(int n) {
      return mean(Math.max(0, losses.length - n), losses.length);
    }

    /** Mean over the steps in [from, to) that were not skipped. */
    private double mean(int from, int to) {
      double s = 0;
      int n = 0;
      for (int i = from; i < to; i++) {
        if (Float.isFinite(losses[i])) {
          s += losses[i];
          n++;
        }
      }
      return n > 0 ? s / n : Double.NaN;
    }
  }

  private final String name;
  private final int steps;
  private final float learningRate;
  private final int warmup;
  private final PrintStream log;
  private final int logEvery;

  public TrainingLoop(String name, int steps, float learningRate, PrintStream log) {
    if (steps < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException(name + ": steps must be >= 1 and the learning rate > 0, got "
          + steps + " and " + learningRate);
    }
    this.name = name;
    this.steps = steps;
    this.learningRate = learningRate;
    this.warmup = Math.max(1, Math.min(100, steps / 10));
    this.log = log;
    this.logEvery = Math.max(1, steps / 20);
  }

  /**
   * Steps whose loss or gradients are not finite are skipped (nothing is updated), up to 2% of the
   * run (at least 5), as a mixed-precision loss scaler skips them; more than that means the training
   * itself diverged. (On an AVX-512 CPU such steps came at random from oneDNN reading uninitialised
   * memory, until {@link magicvideo.models.nn.Conv2d} padded the channels itself.)
   */
  int maxSkipped() {
    return Math.max(5, steps / 50);
  }

  /** Property DJL reads once, at engine start, for libtorch's intra-op thread count. */
  static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

  /**
   * For a training command's main, before anything starts DJL: one libtorch thread unless the
   * property is set, so a run's numbers do not depend on the machine's core count (libtorch's
   * reductions do); on a 2-core machine one thread was no slower for these small networks.
   */
  public static void defaultToOneThread() {
    if (System.getProperty(THREADS_PROPERTY) == null) {
      System.setProperty(THREADS_PROPERTY, "1");
    }
  }

  /** Learning rate at {@code step}: linear warm-up, then cosine decay to a tenth. */
  float rate(int step) {
    if (step < warmup) {
      return learningRate * (step + 1) / warmup;
    }
    double progress = (double) (step - warmup) / Math.max(1, steps - warmup);
    return (float) (learningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress))));
  }

  /** Trains {@code params} (only these get gradients and updates) on {@code objective}. */
  public Result run(Map<String, Param> params, NDManager manager, Objective objective) {
    long start = System.nanoTime();
    double before = probe(manager, objective);
    float[] losses = new float[steps];
    List<Float> window = new ArrayList<>();
    int skipped = 0;
    try (AdamW optimizer = AdamW.standard(params, manager)) {
      for (int step = 0; step < steps; step++) {
        float loss;
        try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
          try (GradientCollector collector = new ThreadGradientCollector()) {
            NDArray value = objective.loss(batch, step);
            collector.backward(value);
            loss = value.getFloat();
          }
          String problem = null;
          if (!Float.isFinite(loss)) {
            optimizer.clearGradients();
            problem = "loss is " + loss;
          } else if (!Float.isFinite(optimizer.step(rate(step)))) {
            List<String> bad = optimizer.lastNonFinite();
            problem = "non-finite gradients in " + bad.size() + " parameters (first: " + (bad.isEmpty() ? "?" : bad.get(0))
                + ")";
          }
          if (problem != null) {
            skipped++;
            log.printf("%-14s step %6d skipped: %s%n", name, step + 1, problem);
            if (skipped > maxSkipped()) {
              throw new IllegalStateException(name + ": " + skipped + " steps skipped for a non-finite loss or gradients"
                  + " (at most " + maxSkipped() + " may be); the last at step " + (step + 1) + ": " + problem);
            }
            loss = Float.NaN;
          }
        }
        losses[step] = loss; // NaN for a skipped step
        if (Float.isFinite(loss)) {
          window.add(loss);
        }
        if ((step + 1) % logEvery == 0 || step == steps - 1) {
          double mean = window.stream().mapToDouble(Float::doubleValue).average().orElse(Double.NaN);
          double elapsed = (System.nanoTime() - start) / 1e9;
          log.printf("%-14s step %6d/%d  loss %.5f  lr %.2e  %.0f s%n", name, step + 1, steps, mean, rate(step),
              elapsed);
          window.clear();
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(name, losses, before, probe(manager, objective), seconds, skipped);
  }

  /** Mean loss on the probe batches, without gradients. */
  private static double probe(NDManager manager, Objective objective) {
    double sum = 0;
    for (int i = 1; i <= PROBES; i++) {
      try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
        sum += objective.loss(batch, -i).getFloat();
      }
    }
    return sum / PROBES;
  }
}
