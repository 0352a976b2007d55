package magicvideo.models.sampling;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Parses the names users type for the enums of this package (diffusers' config names plus a few
 * aliases), so every one of them fails the same way: naming what was wrong and listing what is
 * valid.
 */
final class ConfigNames {

  private ConfigNames() {}

  /**
   * @param what what the name selects, for the error message ("sampler", "beta_schedule")
   * @param names each constant's names: the canonical one first, then accepted aliases
   */
  static <E extends Enum<E>> E parse(
      String what, String given, E[] values, Function<E, List<String>> names) {
    String key = given == null ? "" : given.trim().toLowerCase(Locale.ROOT);
    for (E value : values) {
      if (names.apply(value).contains(key)) {
        return value;
      }
    }
    StringJoiner valid = new StringJoiner(", ");
    for (E value : values) {
      List<String> all = names.apply(value);
      valid.add(all.size() == 1
          ? all.get(0)
          : all.get(0) + " (also " + String.join(", ", all.subList(1, all.size())) + ")");
    }
    throw new IllegalArgumentException(
        "Unknown " + what + " '" + given + "'; valid: " + valid);
  }
}
