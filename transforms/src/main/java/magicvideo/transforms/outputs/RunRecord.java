package magicvideo.transforms.outputs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import magicvideo.transforms.io.AtomicOutputs;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code OUT/run.json}: how a run was made and how it ended. Written once, at the end of the run
 * (or, for a Flex Template launch, when Dataflow has the job), atomically; a later run into the same folder replaces it (each run's manifest and failure files
 * stay, named by run id).
 *
 * <p>{@code parameters} is a flat map of option name to value (string, number, boolean or list),
 * exactly as the launcher's options name them, so the file serves as a rerun config: the same
 * parameters with the same prompts make the same videos. It leaves out the run id, which names this
 * run's files and must not be reused.
 *
 * @param runId the prefix of this run's manifest and failure files
 * @param state the job's final state, e.g. {@code DONE}, {@code FAILED}; {@code LAUNCHED} when the
 *     launcher only handed the job to Dataflow (a Flex Template launch), which runs it afterwards
 * @param model the model the run used; null when it never resolved one
 * @param versions component name to version, see {@link Versions#current()}
 * @param counts counter name to value at the end of the run, e.g. {@code videos_done}
 */
public record RunRecord(
    String runId,
    String state,
    Instant started,
    Instant finished,
    Map<String, Object> parameters,
    @Nullable ModelRef model,
    Map<String, String> versions,
    Map<String, Long> counts) {

  /**
   * Plain JSON numbers (doubles, not decimals) and sorted keys: parameters are read back as the
   * Java values an options parser takes, and the file diffs cleanly between runs.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private static final TypeReference<Map<String, Object>> PARAMETERS = new TypeReference<>() {};

  public RunRecord {
    RunIds.checked(runId);
    requireNonNull(state, "state");
    requireNonNull(started, "started");
    requireNonNull(finished, "finished");
    parameters = canonical(requireNonNull(parameters, "parameters"));
    versions = Collections.unmodifiableMap(new TreeMap<>(versions));
    counts = Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  /**
   * The parameters as they read back from JSON (e.g. a long 0 becomes the Integer 0), so a record
   * equals its own round trip; a value JSON cannot hold fails here rather than in the file.
   */
  private static Map<String, Object> canonical(Map<String, Object> parameters) {
    for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
      Object value = parameter.getValue();
      if (value instanceof Map) {
        throw new IllegalArgumentException(
            "parameter " + parameter.getKey() + " is a map; run.json keeps parameters flat");
      }
    }
    try {
      // through text, not a tree: a tree keeps a Long as a Long, the file gives back an Integer
      Map<String, Object> json = JSON.readValue(JSON.writeValueAsString(parameters), PARAMETERS);
      return Collections.unmodifiableMap(new TreeMap<>(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "parameters cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  /** The record as indented JSON, snake_case keys, ending in a newline. */
  public String toJson() {
    ObjectNode json = JSON.createObjectNode();
    json.put("run_id", runId);
    json.put("state", state);
    json.put("started", started.toString());
    json.put("finished", finished.toString());
    json.put("seconds", (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0);
    json.set("model", model == null ? null : model.toJson());
    json.set("versions", JSON.valueToTree(versions));
    json.set("counts", JSON.valueToTree(counts));
    json.set("parameters", JSON.valueToTree(parameters));
    try {
      return JSON.writeValueAsString(json) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain JSON nodes always serialises", e);
    }
  }

  /** Parses a record written by {@link #toJson()}; {@code where} names the file for errors. */
  public static RunRecord fromJson(String text, String where) {
    JsonNode json = OutputJson.parseObject(JSON, text, where);
    JsonNode model = json.get("model");
    try {
      return new RunRecord(
          OutputJson.text(json, "run_id", where),
          OutputJson.text(json, "state", where),
          Instant.parse(OutputJson.text(json, "started", where)),
          Instant.parse(OutputJson.text(json, "finished", where)),
          JSON.convertValue(OutputJson.object(json, "parameters", where), PARAMETERS),
          model == null || model.isNull() ? null : ModelRef.fromJson(model, where + ", model"),
          JSON.convertValue(
              OutputJson.object(json, "versions", where),
              new TypeReference<Map<String, String>>() {}),
          JSON.convertValue(
              OutputJson.object(json, "counts", where), new TypeReference<Map<String, Long>>() {}));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + ": a time is not ISO-8601: " + e.getMessage(), e);
    }
  }

  /** Writes {@code OUT/run.json}: to a temporary name, then renamed over any earlier record. */
  public void writeTo(OutputLayout layout) throws IOException {
    AtomicOutputs.write(
        layout.runRecord(), "application/json", toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** Reads {@code OUT/run.json}. */
  public static RunRecord readFrom(OutputLayout layout) throws IOException {
    String path = layout.runRecord();
    return fromJson(new String(AtomicOutputs.readBytes(path), StandardCharsets.UTF_8), path);
  }
}
