package magicvideo.models.io;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name=value} command line of the models module's tools (training, ablations,
 * conversion, benchmarks), parsed once so that every tool refuses the same mistakes with the same
 * words: an argument that is not a known flag, a flag given twice, a flag without its value (except
 * the {@code bare} ones, which then mean {@code true}), and a value of the wrong type. Unknown
 * flags are refused with the tool's usage, when it has one.
 */
public final class Flags {
  private final Map<String, String> values;

  private Flags(Map<String, String> values) {
    this.values = values;
  }

  /** {@code args} against the flag names {@code known}; {@code usage} (or null) follows a refusal. */
  public static Flags parse(String[] args, Collection<String> known, String usage) {
    return parse(args, known, Set.of(), usage);
  }

  /**
   * {@code args} against {@code known}; a flag of {@code bare} may be given without a value
   * ({@code --f16}), meaning {@code true}.
   */
  public static Flags parse(String[] args, Collection<String> known, Set<String> bare, String usage) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") ? arg.substring(2, eq < 0 ? arg.length() : eq) : "";
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown argument '" + arg + "'" + (usage == null ? "" : "; " + usage));
      }
      if (eq < 0 && !bare.contains(name)) {
        throw new IllegalArgumentException("--" + name + " needs a value: --" + name + "=...");
      }
      if (values.put(name, eq < 0 ? "true" : arg.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("--" + name + " is given twice");
      }
    }
    return new Flags(values);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The value of {@code --name}, or {@code fallback} when it is not given. */
  public String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** The value of {@code --name}; refused when it is not given or empty. */
  public String required(String name) {
    String value = values.getOrDefault(name, "");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  public int intValue(String name, int fallback) {
    long value = longValue(name, fallback);
    if (value != (int) value) {
      throw new IllegalArgumentException("--" + name + " takes an integer, got '" + values.get(name) + "'");
    }
    return (int) value;
  }

  public long longValue(String name, long fallback) {
    String value = values.get(name);
    try {
      return value == null ? fallback : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes an integer, got '" + value + "'");
    }
  }

  public double doubleValue(String name, double fallback) {
    String value = values.get(name);
    try {
      double parsed = value == null ? fallback : Double.parseDouble(value.strip());
      if (!Double.isFinite(parsed)) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes a number, got '" + value + "'");
    }
  }

  public float floatValue(String name, float fallback) {
    return (float) doubleValue(name, fallback);
  }

  /** {@code true} or {@code false}, nothing else. */
  public boolean booleanValue(String name, boolean fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    if (!List.of("true", "false").contains(value)) {
      throw new IllegalArgumentException("--" + name + " takes true or false, got '" + value + "'");
    }
    return value.equals("true");
  }
}
