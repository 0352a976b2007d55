package magicvideo.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The option values of a {@code --config} file, in file order, each with its line: a YAML or JSON
 * mapping of option name to value, or an earlier run's {@code run.json}, whose {@value
 * #RUN_RECORD_PARAMETERS} object is that mapping ({@code RunRecord}; the record's other fields,
 * such as run id, times, model, versions and counts, tell how that run went, not how to run).
 *
 * <p>Each value becomes the text of a Beam flag: a scalar as written in the file (so {@code 1.10}
 * stays {@code 1.10}), a list one flag per element (Beam collects repeated flags of a list
 * option; an empty list one empty flag), an object its JSON, which is how Beam reads map and
 * object options from a flag.
 */
final class ConfigFile {
  /** The field of {@code OUT/run.json} that holds the run's options. */
  static final String RUN_RECORD_PARAMETERS = "parameters";

  /**
   * One option of the file.
   *
   * @param values the flag values; null where the file gives no value (an empty YAML value, a
   *     JSON null)
   */
  record Entry(String name, int line, @Nullable List<String> values) {
    /** The entry as Beam flags, {@code --name=value}. */
    List<String> flags() {
      return values.stream().map(value -> "--" + name + "=" + value).toList();
    }
  }

  private final String path;
  private final List<Entry> entries;

  private ConfigFile(String path, List<Entry> entries) {
    this.path = path;
    this.entries = entries;
  }

  List<Entry> entries() {
    return entries;
  }

  /** Where an entry is, for messages: {@code PATH, line N}. */
  String where(Entry entry) {
    return path + ", line " + entry.line();
  }

  /**
   * Parses {@code text}, the contents of {@code path}; the path's extension chooses YAML ({@code
   * .yaml}, {@code .yml}) or JSON ({@code .json}). Throws {@link
   * OptionChecks.InvalidOptionsException} naming the file and line of what is wrong.
   */
  static ConfigFile parse(String path, String text) {
    ObjectMapper mapper = new ObjectMapper(factoryFor(path));
    try (JsonParser parser = mapper.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw invalid(
            path + ", line " + line(parser) + ": expected a mapping of option name to value,"
                + " e.g. 'steps: 25', or a run.json");
      }
      Mapping top = readMapping(parser, mapper, path, true);
      Mapping options = top.runRecordParameters == null ? top : top.runRecordParameters;
      return new ConfigFile(path, List.copyOf(options.entries.values()));
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw invalid(path + ", line " + line + ": not valid " + format(path) + ": "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalStateException("reading from a string does no I/O", e);
    }
  }

  /** A mapping's entries; at the top level, also a run record's parameters, if there are any. */
  private static final class Mapping {
    final Map<String, Entry> entries = new LinkedHashMap<>();
    @Nullable Mapping runRecordParameters;
  }

  /** Reads the fields of the object the parser is at, up to its end. */
  private static Mapping readMapping(
      JsonParser parser, ObjectMapper mapper, String path, boolean topLevel) throws IOException {
    Mapping mapping = new Mapping();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      int line = line(parser);
      JsonToken value = parser.nextToken();
      Entry earlier = mapping.entries.get(name);
      if (earlier != null) {
        throw invalid(path + ", line " + line + ": '" + name + "' is given twice, here and on line "
            + earlier.line());
      }
      if (topLevel && RUN_RECORD_PARAMETERS.equals(name) && value == JsonToken.START_OBJECT) {
        mapping.runRecordParameters = readMapping(parser, mapper, path, false);
        mapping.entries.put(name, new Entry(name, line, null));
      } else {
        mapping.entries.put(name, new Entry(name, line, values(parser, mapper)));
      }
    }
    return mapping;
  }

  /** The flag values of the value the parser is at; null for a null. */
  private static @Nullable List<String> values(JsonParser parser, ObjectMapper mapper)
      throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token.isScalarValue()) {
      return List.of(parser.getText());
    }
    JsonNode tree = mapper.readTree(parser);
    if (!tree.isArray()) {
      return List.of(tree.toString());
    }
    if (tree.isEmpty()) {
      return List.of(""); // Beam reads an empty --name= as an empty list; no flag would mean unset
    }
    List<String> values = new ArrayList<>();
    for (JsonNode element : tree) {
      values.add(element.isValueNode() ? element.asText() : element.toString());
    }
    return values;
  }

  private static JsonFactory factoryFor(String path) {
    String name = path.toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return new YAMLFactory();
    }
    if (name.endsWith(".json")) {
      return new JsonFactory();
    }
    throw invalid("--config=" + path + ": name the file .yaml, .yml or .json; its extension says"
        + " how to read it");
  }

  private static String format(String path) {
    return path.toLowerCase(Locale.ROOT).endsWith(".json") ? "JSON" : "YAML";
  }

  private static int line(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  static OptionChecks.InvalidOptionsException invalid(String problem) {
    return new OptionChecks.InvalidOptionsException(List.of(problem));
  }

  static OptionChecks.InvalidOptionsException invalid(Collection<String> problems) {
    return new OptionChecks.InvalidOptionsException(List.copyOf(problems));
  }
}
