package magicvideo.transforms.prompts;

import java.util.Locale;

/**
 * Why a prompt row was rejected. {@link #kindName()} is the failure record's {@code kind} and the
 * suffix of its {@code failed_<kind>} counter, so users can group failures without parsing reasons.
 */
public enum FailureKind {
  /** The file could not be opened or broke off mid-way (e.g. a truncated .gz). */
  UNREADABLE_FILE("read"),
  /** The file's extension is none of .txt, .jsonl, .csv, .tsv (optionally compressed). */
  UNSUPPORTED_FORMAT("read"),
  INVALID_UTF8("read"),
  LINE_TOO_LONG("read"),
  MALFORMED_JSON("parse"),
  NOT_AN_OBJECT("parse"),
  /** A CSV/TSV header that cannot be used; the file's rows are rejected with it. */
  BAD_HEADER("parse"),
  BROKEN_QUOTING("parse"),
  WRONG_COLUMN_COUNT("parse"),
  WRONG_TYPE("validate"),
  /**
   * Two names for one setting given in the same row, e.g. {@code steps} and {@code
   * num_inference_steps}.
   */
  CONFLICTING_FIELDS("validate"),
  MISSING_PROMPT("validate"),
  EMPTY_PROMPT("validate"),
  PROMPT_TOO_LONG("validate"),
  OUT_OF_RANGE("validate"),
  /** A later occurrence of an id; the occurrence with the lowest (file, line) is kept. */
  DUPLICATE_ID("validate");

  private final String stage;

  FailureKind(String stage) {
    this.stage = stage;
  }

  /** The lower-case name used in failure records and metric names, e.g. {@code malformed_json}. */
  public String kindName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The stage that detects this kind: {@code read}, {@code parse} or {@code validate}. */
  public String stage() {
    return stage;
  }
}
