package magicvideo.pipeline;

import ai.djl.engine.Engine;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * How the launcher sets up the DirectRunner for a generation job; an option the user set is kept.
 *
 * <ul>
 *   <li>{@code run()} returns at once, so that progress is reported while the job runs.
 *   <li>The runner's model checks, {@code --enforceImmutability} and {@code --enforceEncodability},
 *       are off: they encode every element of every step through its coder, decode a copy and
 *       encode it again after the step to compare, and for each bundle walk the whole job graph to
 *       find the reads they exempt. Here the elements are frames, up to 183 MiB per video after
 *       SD-sized super-resolution, and the coders are tested on their own ({@code TestPipeline}
 *       keeps both checks on).
 *   <li>{@code --targetParallelism} is the number of forward passes allowed per device (default 1)
 *       when the networks run on the CPU and libtorch's OpenMP threads sleep while idle ({@code
 *       OMP_WAIT_POLICY=PASSIVE}, which {@code bin/magicvideo} sets). Every forward pass already
 *       uses all cores, so further DoFn threads only compete with it, and an idle one runs the
 *       DirectRunner's scheduling loop, which polls without pausing: with 3 threads the tiny-model
 *       job took 1.30x the plain generator loop's time on 2 cores, with 1 thread 1.18x. With
 *       spinning OpenMP threads (the default policy) several DoFn threads stay: libgomp then
 *       shortens its spin, and a single thread whose OpenMP threads spin ran ~15x slower on a
 *       machine that other work kept busy. On a GPU, encoding overlaps the next forward pass.
 * </ul>
 */
final class DirectRunnerSettings {
  private DirectRunnerSettings() {}

  static void apply(MagicVideoOptions options) {
    apply(options, System.getenv("OMP_WAIT_POLICY"), Engine.getInstance().defaultDevice().isGpu());
  }

  /** {@link #apply(MagicVideoOptions)} for a given OpenMP wait policy (null: unset) and device. */
  static void apply(MagicVideoOptions options, String openMpWaitPolicy, boolean gpu) {
    DirectOptions direct = options.as(DirectOptions.class);
    direct.setBlockOnRun(false);
    Set<String> chosen = setByUser(options);
    if (!chosen.contains("enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!chosen.contains("enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!chosen.contains("targetParallelism") && !gpu && "PASSIVE".equalsIgnoreCase(openMpWaitPolicy)) {
      direct.setTargetParallelism(options.getMaxForwardPassesPerDevice());
    }
  }

  /** Names of the options given a value (display data lists exactly those, not defaults). */
  private static Set<String> setByUser(PipelineOptions options) {
    Set<String> names = new HashSet<>();
    for (DisplayData.Item item : DisplayData.from(options).items()) {
      names.add(item.getKey());
    }
    return names;
  }
}
