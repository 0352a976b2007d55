package magicvideo.pipeline;

import java.util.HashSet;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * How the launcher sets up the DirectRunner for a generation job. {@code run()} returns at once, so
 * that progress is reported while the job runs. The runner's model checks, {@code
 * --enforceImmutability} and {@code --enforceEncodability}, are off unless the user sets them: they
 * encode every element of every step through its coder, decode a copy and encode it again after the
 * step to compare, and for each bundle walk the whole job graph to find the reads they exempt. On a
 * generation job that is pure cost: the elements are frames, up to 183 MiB per video after
 * SD-sized super-resolution, and the coders are tested on their own ({@code TestPipeline} keeps
 * both checks on).
 */
final class DirectRunnerSettings {
  private DirectRunnerSettings() {}

  static void apply(PipelineOptions options) {
    DirectOptions direct = options.as(DirectOptions.class);
    direct.setBlockOnRun(false);
    Set<String> chosen = setByUser(options);
    if (!chosen.contains("enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!chosen.contains("enforceEncodability")) {
      direct.setEnforceEncodability(false);
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
