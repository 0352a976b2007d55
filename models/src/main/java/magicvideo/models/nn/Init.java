package magicvideo.models.nn;

import java.util.SplittableRandom;

/**
 * How a parameter starts. Fixed, documented initialisers (not DJL's Xavier default) so that a
 * fresh network is the same on every machine for the same seed, and so that the MagicVideo
 * additions start at identity (adaptor scale 1 / shift 0, temporal output projection 0).
 */
public sealed interface Init {

  /** Fills {@code out} deterministically from {@code rng}. */
  void fill(float[] out, SplittableRandom rng);

  record Constant(float value) implements Init {
    @Override
    public void fill(float[] out, SplittableRandom rng) {
      java.util.Arrays.fill(out, value);
    }
  }

  /** U(-bound, bound): PyTorch's default for Conv2d/Linear weights and biases is bound = 1/sqrt(fan_in). */
  record Uniform(double bound) implements Init {
    @Override
    public void fill(float[] out, SplittableRandom rng) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
      }
    }
  }

  /** N(0, std^2) by Box-Muller, e.g. embeddings (std 0.02 as CLIP). */
  record Normal(double std) implements Init {
    @Override
    public void fill(float[] out, SplittableRandom rng) {
      for (int i = 0; i < out.length; i += 2) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        double r = Math.sqrt(-2 * Math.log(u1)) * std;
        out[i] = (float) (r * Math.cos(2 * Math.PI * u2));
        if (i + 1 < out.length) {
          out[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
        }
      }
    }
  }

  static Init zeros() {
    return new Constant(0f);
  }

  static Init ones() {
    return new Constant(1f);
  }

  /** PyTorch's default for a layer with this fan-in (kaiming_uniform with a = sqrt(5)). */
  static Init fanIn(long fanIn) {
    return new Uniform(1.0 / Math.sqrt(fanIn));
  }

  static Init normal(double std) {
    return new Normal(std);
  }
}
