package magicvideo.pipeline.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name=value} flags of a benchmark, by name. A benchmark takes its own flags out with
 * {@link #intValue} and {@link #without}, and hands the rest to the job, so job options given on
 * its command line reach both the pipeline and the in-process baseline. Beam rejects a flag given
 * twice, so defaults are merged here ({@link #overriddenBy}) rather than repeated.
 */
final class Flags {
  private final Map<String, String> values;

  private Flags(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  static Flags of(String... args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 3) {
        throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
      }
      values.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return new Flags(values);
  }

  /** These flags with every flag of {@code later} added, replacing a flag of the same name. */
  Flags overriddenBy(Flags later) {
    Map<String, String> merged = new LinkedHashMap<>(values);
    merged.putAll(later.values);
    return new Flags(merged);
  }

  Flags with(String name, Object value) {
    return overriddenBy(new Flags(Map.of(name, String.valueOf(value))));
  }

  Flags without(String name) {
    Map<String, String> rest = new LinkedHashMap<>(values);
    rest.remove(name);
    return new Flags(rest);
  }

  String value(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int intValue(String name, int fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + value + "'", e);
    }
  }

  String[] toArgs() {
    List<String> args = new ArrayList<>();
    values.forEach((name, value) -> args.add("--" + name + "=" + value));
    return args.toArray(String[]::new);
  }

  @Override
  public String toString() {
    return String.join(" ", toArgs());
  }
}
