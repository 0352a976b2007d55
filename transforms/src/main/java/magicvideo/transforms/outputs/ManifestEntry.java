package magicvideo.transforms.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One generated video (or, in a run stopped with {@code --until}, one video's tensors): one line of
 * {@code OUT/manifest/*.jsonl}. The line says everything needed to reproduce the video (prompt,
 * seed, model fingerprint, sampling parameters) and to check the file (path, bytes, sha256).
 *
 * <p>Exactly one of {@link #getVideo()} and {@link #getTensors()} is set; {@link #getBytes()} and
 * {@link #getSha256()} describe that file ({@link #getOutputPath()}). Paths are relative to the
 * output folder ({@link OutputLayout}).
 *
 * <p>The JSON line is the canonical form: {@link ManifestEntryCoder} codes an entry as its line, so
 * the coder is deterministic (fixed key order, stage timings sorted by stage, extras normalised to
 * compact JSON) and the encoding never drifts from what the files hold.
 */
@AutoValue
@DefaultCoder(ManifestEntryCoder.class)
public abstract class ManifestEntry implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The status of every manifest line: failed videos go to {@code OUT/failures/} instead. */
  public static final String STATUS_OK = "ok";

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public abstract String getId();

  public abstract String getStatus();

  public abstract String getPrompt();

  /** Empty when none was used. */
  public abstract String getNegativePrompt();

  public abstract long getSeed();

  public abstract ModelRef getModel();

  /** The sampler's canonical name, e.g. {@code dpmpp-2m}. */
  public abstract String getSampler();

  /** Keyframe denoising steps (diffusers' num_inference_steps). */
  public abstract int getSteps();

  /** Classifier-free guidance scale of the keyframes (diffusers' guidance_scale). */
  public abstract double getGuidance();

  public abstract int getKeyframes();

  /** Frames of the video after interpolation. */
  public abstract int getFrames();

  public abstract double getFps();

  public abstract int getWidth();

  public abstract int getHeight();

  /** {@code videos/<shard>/<id>.mp4} or {@code .webm}; null in a run stopped before encoding. */
  public abstract @Nullable String getVideo();

  /** The GIF or JPEG preview beside the video; null when previews are off. */
  public abstract @Nullable String getPreview();

  /** {@code tensors/<shard>/<id>.safetensors} of a run stopped with {@code --until}; else null. */
  public abstract @Nullable String getTensors();

  /** Size of {@link #getOutputPath()}. */
  public abstract long getBytes();

  /** Lower-case hex SHA-256 of {@link #getOutputPath()}. */
  public abstract String getSha256();

  /** Wall-clock seconds per stage (e.g. {@code keyframes}, {@code decode}), sorted by stage. */
  public abstract Map<String, Double> getStageSeconds();

  /** Prompt tokens cut off at the text encoder's context length. */
  public abstract int getTokensDropped();

  /** The prompt row's other fields, a JSON object text carried over unchanged. */
  public abstract String getExtraJson();

  /** The file this entry stands for: the video, else the tensors. */
  public String getOutputPath() {
    String video = getVideo();
    return video != null ? video : getTensors();
  }

  /**
   * A builder with status ok, an empty negative prompt, no preview, no tensors, no timings, no
   * dropped tokens and no extras.
   */
  public static Builder builder() {
    return new AutoValue_ManifestEntry.Builder()
        .setStatus(STATUS_OK)
        .setNegativePrompt("")
        .setStageSeconds(Map.of())
        .setTokensDropped(0)
        .setExtraJson("{}");
  }

  public abstract Builder toBuilder();

  /** One JSON object on one line, snake_case keys in a fixed order. */
  public String toJsonLine() {
    ObjectNode json = OutputJson.MAPPER.createObjectNode();
    json.put("id", getId());
    json.put("status", getStatus());
    json.put("prompt", getPrompt());
    json.put("negative_prompt", getNegativePrompt());
    json.put("seed", getSeed());
    json.set("model", getModel().toJson());
    json.put("sampler", getSampler());
    json.put("steps", getSteps());
    json.put("guidance", getGuidance());
    json.put("keyframes", getKeyframes());
    json.put("frames", getFrames());
    json.put("fps", getFps());
    json.put("width", getWidth());
    json.put("height", getHeight());
    json.put("video", getVideo());
    json.put("preview", getPreview());
    json.put("tensors", getTensors());
    json.put("bytes", getBytes());
    json.put("sha256", getSha256());
    ObjectNode seconds = json.putObject("stage_seconds");
    getStageSeconds().forEach(seconds::put);
    json.put("tokens_dropped", getTokensDropped());
    json.set("extra", OutputJson.parseObject(getExtraJson(), "extra of " + getId()));
    return OutputJson.write(json);
  }

  /** Parses a line written by {@link #toJsonLine()}; errors name the line's id and field. */
  public static ManifestEntry fromJsonLine(String line) {
    JsonNode json = OutputJson.parseObject(line, "manifest line");
    String where = "manifest line of id " + json.path("id").asText("?");
    return builder()
        .setId(OutputJson.text(json, "id", where))
        .setStatus(OutputJson.text(json, "status", where))
        .setPrompt(OutputJson.text(json, "prompt", where))
        .setNegativePrompt(OutputJson.text(json, "negative_prompt", where))
        .setSeed(OutputJson.integer(json, "seed", where))
        .setModel(ModelRef.fromJson(OutputJson.object(json, "model", where), where + ", model"))
        .setSampler(OutputJson.text(json, "sampler", where))
        .setSteps(OutputJson.smallInteger(json, "steps", where))
        .setGuidance(OutputJson.number(json, "guidance", where))
        .setKeyframes(OutputJson.smallInteger(json, "keyframes", where))
        .setFrames(OutputJson.smallInteger(json, "frames", where))
        .setFps(OutputJson.number(json, "fps", where))
        .setWidth(OutputJson.smallInteger(json, "width", where))
        .setHeight(OutputJson.smallInteger(json, "height", where))
        .setVideo(OutputJson.optionalText(json, "video", where))
        .setPreview(OutputJson.optionalText(json, "preview", where))
        .setTensors(OutputJson.optionalText(json, "tensors", where))
        .setBytes(OutputJson.integer(json, "bytes", where))
        .setSha256(OutputJson.text(json, "sha256", where))
        .setStageSeconds(stageSeconds(OutputJson.object(json, "stage_seconds", where), where))
        .setTokensDropped(OutputJson.smallInteger(json, "tokens_dropped", where))
        .setExtraJson(OutputJson.write(OutputJson.object(json, "extra", where)))
        .build();
  }

  private static Map<String, Double> stageSeconds(JsonNode object, String where) {
    Map<String, Double> seconds = new TreeMap<>();
    for (Iterator<String> stages = object.fieldNames(); stages.hasNext(); ) {
      String stage = stages.next();
      seconds.put(stage, OutputJson.number(object, stage, where + ", stage_seconds"));
    }
    return seconds;
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setId(String id);

    public abstract Builder setStatus(String status);

    public abstract Builder setPrompt(String prompt);

    public abstract Builder setNegativePrompt(String negativePrompt);

    public abstract Builder setSeed(long seed);

    public abstract Builder setModel(ModelRef model);

    public abstract Builder setSampler(String sampler);

    public abstract Builder setSteps(int steps);

    public abstract Builder setGuidance(double guidance);

    public abstract Builder setKeyframes(int keyframes);

    public abstract Builder setFrames(int frames);

    public abstract Builder setFps(double fps);

    public abstract Builder setWidth(int width);

    public abstract Builder setHeight(int height);

    public abstract Builder setVideo(@Nullable String video);

    public abstract Builder setPreview(@Nullable String preview);

    public abstract Builder setTensors(@Nullable String tensors);

    public abstract Builder setBytes(long bytes);

    public abstract Builder setSha256(String sha256);

    public abstract Builder setStageSeconds(Map<String, Double> stageSeconds);

    public abstract Builder setTokensDropped(int tokensDropped);

    /**
     * A JSON object text, e.g. {@link magicvideo.transforms.prompts.PromptRequest#getExtraJson}.
     */
    public abstract Builder setExtraJson(String extraJson);

    abstract String getId();

    abstract @Nullable String getVideo();

    abstract @Nullable String getTensors();

    abstract String getSha256();

    abstract long getBytes();

    abstract Map<String, Double> getStageSeconds();

    abstract String getExtraJson();

    abstract ManifestEntry autoBuild();

    /**
     * Checks that exactly one output file is named and that its bytes and hash are plausible; sorts
     * the timings and normalises the extras, so equal entries have equal JSON lines.
     */
    public ManifestEntry build() {
      String id = getId();
      if ((getVideo() == null) == (getTensors() == null)) {
        throw new IllegalArgumentException(
            "manifest entry "
                + id
                + " must name exactly one of video and tensors, got video="
                + getVideo()
                + ", tensors="
                + getTensors());
      }
      if (getBytes() < 0) {
        throw new IllegalArgumentException(
            "manifest entry " + id + ": bytes must be >= 0, got " + getBytes());
      }
      if (!SHA256_HEX.matcher(getSha256()).matches()) {
        throw new IllegalArgumentException(
            "manifest entry "
                + id
                + ": sha256 must be 64 lower-case hex digits, got '"
                + getSha256()
                + "'");
      }
      setStageSeconds(Collections.unmodifiableMap(new TreeMap<>(getStageSeconds())));
      setExtraJson(OutputJson.write(OutputJson.parseObject(getExtraJson(), "extra of " + id)));
      return autoBuild();
    }
  }
}
