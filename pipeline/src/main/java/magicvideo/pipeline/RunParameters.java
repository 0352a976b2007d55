package magicvideo.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * The parameters a run record keeps: a flat map of option name to value that, given back as {@code
 * --name=value} flags or as a config file, reproduces the run. It holds every {@link
 * MagicVideoOptions} value, defaults included (a later version's defaults must not change a rerun),
 * and the Beam and runner options the user set ({@code --runner}, {@code --flinkMaster}, {@code
 * --project}...), but not the options Beam fills in for itself (job name, app name), the run id
 * (a rerun gets its own) or the {@code --config} file the values came from (they are recorded
 * themselves, and the file may have changed since). {@link ConfigFile} reads them back from
 * run.json's {@code parameters}.
 */
final class RunParameters {
  /**
   * Options the record leaves out: the run's own identity, its config file (the record holds the
   * values themselves), what Beam sets by itself, and the per-launch file a Flex Template launcher
   * has the job graph written to (a rerun would only write a graph again).
   */
  private static final Set<String> EXCLUDED =
      Set.of("runId", "config", "appName", "jobName", "optionsId", "templateLocation");

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunParameters() {}

  static Map<String, Object> of(MagicVideoOptions options) {
    Set<String> kept = new HashSet<>(bindEveryProperty(options));
    for (DisplayData.Item item : DisplayData.from(options).items()) {
      kept.add(item.getKey()); // display data lists exactly the options that were set
    }
    kept.removeAll(EXCLUDED);
    // Beam serialises options as {"options": {name: value}} with JSON types an options parser
    // reads back, lists included; display data would turn a list into one string.
    JsonNode values = JSON.valueToTree(options).get("options");
    Map<String, Object> parameters = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> option = it.next();
      if (kept.contains(option.getKey()) && !option.getValue().isNull()) {
        parameters.put(option.getKey(), JSON.convertValue(option.getValue(), Object.class));
      }
    }
    return parameters;
  }

  /**
   * Reads every property of {@link MagicVideoOptions}, which binds its default into the options so
   * that Beam's serialisation includes it; returns the property names.
   */
  private static Set<String> bindEveryProperty(MagicVideoOptions options) {
    Set<String> names = new HashSet<>();
    for (Method getter : MagicVideoOptions.class.getDeclaredMethods()) {
      String name = getter.getName();
      if (getter.getParameterCount() == 0 && name.startsWith("get") && name.length() > 3) {
        try {
          getter.invoke(options);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read option " + name, e);
        }
        names.add(Character.toLowerCase(name.charAt(3)) + name.substring(4));
      }
    }
    return names;
  }
}
