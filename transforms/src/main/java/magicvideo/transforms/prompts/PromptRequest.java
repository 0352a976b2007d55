package magicvideo.transforms.prompts;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One video to generate: a validated prompt with its stable id and seed, the element that flows
 * from {@link ReadPrompts} into generation.
 *
 * <p>Why AutoValue with {@link AutoValueSchema}: Beam 2.70 infers a schema coder from the getters
 * and builds values through the generated builder, so the class needs no hand-written coder, its
 * encoding does not depend on Java serialization, and schema transforms (Select, SQL) see named
 * fields. Getters carry the {@code get} prefix because Beam's schema inference only treats {@code
 * get*}/{@code is*} methods as fields. A record was the other candidate, but Beam 2.70 has no
 * record schema provider, so it would need a custom coder kept in step by hand.
 *
 * <p>{@link #getExtraJson()} is a JSON object text, not a {@code Map<String, String>}: jsonl rows
 * carry numbers, booleans, arrays and nested objects that the manifest must repeat unchanged, and a
 * string map would flatten them to text. CSV/TSV extras are string values in the same object.
 */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class PromptRequest implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Safe as a file name on every Beam filesystem ({@link PromptIds#isSafe}); unique in the run.
   * With {@code videosPerPrompt > 1} it is the row's id with {@code -<videoIndex>} appended.
   */
  public abstract String getId();

  /** Stripped of leading and trailing white space; never empty. */
  public abstract String getPrompt();

  /** Empty when the row gives none. */
  public abstract String getNegativePrompt();

  /** Non-negative; see {@link PromptSeeds}. */
  public abstract long getSeed();

  /** The file the row came from, as its full Beam resource id. */
  public abstract String getSource();

  /** 1-based line of the row in {@link #getSource()}. */
  public abstract long getLine();

  /** Which of the row's {@code videosPerPrompt} videos this is, from 0. */
  public abstract int getVideoIndex();

  /**
   * The row's other fields as a JSON object text ({@code "{}"} when none), for the manifest. When
   * the row's id was unsafe, {@code original_id} holds it here (replacing a row field of that
   * name).
   */
  public abstract String getExtraJson();

  /** Per-row {@code num_inference_steps} (alias {@code steps}); null: the run's setting. */
  public abstract @Nullable Integer getSteps();

  /** Per-row {@code guidance_scale} (alias {@code guidance}); null: the run's setting. */
  public abstract @Nullable Double getGuidanceScale();

  /** Per-row {@code fps}; null: the run's setting. */
  public abstract @Nullable Integer getFps();

  /**
   * Prompt tokens cut off at the text encoder's context length; set by the tokenizer stage, null
   * until then. Token truncation is reported there, not here: it is not a bad row.
   */
  public abstract @Nullable Integer getTokensDropped();

  /** A builder with an empty negative prompt, video index 0 and no extras. */
  public static Builder builder() {
    return new AutoValue_PromptRequest.Builder()
        .setNegativePrompt("")
        .setVideoIndex(0)
        .setExtraJson("{}");
  }

  public abstract Builder toBuilder();

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setId(String id);

    public abstract Builder setPrompt(String prompt);

    public abstract Builder setNegativePrompt(String negativePrompt);

    public abstract Builder setSeed(long seed);

    public abstract Builder setSource(String source);

    public abstract Builder setLine(long line);

    public abstract Builder setVideoIndex(int videoIndex);

    public abstract Builder setExtraJson(String extraJson);

    public abstract Builder setSteps(@Nullable Integer steps);

    public abstract Builder setGuidanceScale(@Nullable Double guidanceScale);

    public abstract Builder setFps(@Nullable Integer fps);

    public abstract Builder setTokensDropped(@Nullable Integer tokensDropped);

    public abstract PromptRequest build();
  }
}
