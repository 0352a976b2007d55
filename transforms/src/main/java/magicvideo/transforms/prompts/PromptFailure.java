package magicvideo.transforms.prompts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A dead-letter record: one rejected prompt row (or, from later stages, one failed video), written
 * as one line of {@code OUT/failures/*.jsonl}.
 *
 * <p>{@code line} is 1-based; 0 means the whole file (unsupported format, cannot be opened). The
 * raw row is kept for a human to fix the input, cut to {@link #MAX_RAW_CHARS} characters so that a
 * dataset of giant broken lines does not blow up the dead-letter output; it is null where the stage
 * no longer has the row's text (a duplicate id, a whole-file failure).
 *
 * <p>Coded by Beam's {@link AutoValueSchema}. Beam builds decoded values through the {@link
 * SchemaCreate} factory, because the builder's {@code build()} is not the generated method that
 * Beam's builder-based creator looks for.
 */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class PromptFailure {
  /** The most characters of the raw row kept, the truncation mark included. */
  public static final int MAX_RAW_CHARS = 2000;

  private static final String TRUNCATION_MARK = "\u2026";

  /** The file, as its full Beam resource id (e.g. {@code gs://bucket/prompts/a.jsonl}). */
  public abstract String getSource();

  public abstract long getLine();

  /** The id the row gave, if it got that far; may be an unsafe id that was never used. */
  public abstract @Nullable String getId();

  /** Where it failed: {@code read}, {@code parse}, {@code validate}, or a later stage's name. */
  public abstract String getStage();

  /** A short machine name for grouping, e.g. {@code malformed_json}; see {@link FailureKind}. */
  public abstract String getKind();

  /** What was wrong, in words that let the user fix the row. */
  public abstract String getReason();

  public abstract @Nullable String getRawRow();

  public static Builder builder() {
    return new AutoValue_PromptFailure.Builder();
  }

  @SchemaCreate
  static PromptFailure create(
      String source,
      long line,
      @Nullable String id,
      String stage,
      String kind,
      String reason,
      @Nullable String rawRow) {
    return builder()
        .setSource(source)
        .setLine(line)
        .setId(id)
        .setStage(stage)
        .setKind(kind)
        .setReason(reason)
        .setRawRow(rawRow)
        .build();
  }

  /** One JSON object on one line, keys in snake_case like the manifest. */
  public String toJsonLine() {
    ObjectNode json = PromptJson.MAPPER.createObjectNode();
    json.put("source", getSource());
    json.put("line", getLine());
    json.put("id", getId());
    json.put("stage", getStage());
    json.put("kind", getKind());
    json.put("reason", getReason());
    json.put("raw", getRawRow());
    return PromptJson.write(json);
  }

  /**
   * Cuts to {@link #MAX_RAW_CHARS} with a mark at the end. Idempotent (a cut text is exactly the
   * bound long), so decoding a coded failure does not cut it again.
   */
  static @Nullable String truncateRaw(@Nullable String raw) {
    if (raw == null || raw.length() <= MAX_RAW_CHARS) {
      return raw;
    }
    int end = MAX_RAW_CHARS - TRUNCATION_MARK.length();
    if (Character.isHighSurrogate(raw.charAt(end - 1))) {
      end--; // never split a surrogate pair: the half would be invalid UTF-16
    }
    return raw.substring(0, end) + TRUNCATION_MARK;
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSource(String source);

    public abstract Builder setLine(long line);

    public abstract Builder setId(@Nullable String id);

    public abstract Builder setStage(String stage);

    public abstract Builder setKind(String kind);

    public abstract Builder setReason(String reason);

    /** The row as read; {@link #build()} truncates it. */
    public abstract Builder setRawRow(@Nullable String rawRow);

    /** Sets the kind and the stage that detects it. */
    public Builder setFailureKind(FailureKind kind) {
      return setKind(kind.kindName()).setStage(kind.stage());
    }

    abstract @Nullable String getRawRow();

    abstract PromptFailure autoBuild();

    public PromptFailure build() {
      return setRawRow(truncateRaw(getRawRow())).autoBuild();
    }
  }
}
