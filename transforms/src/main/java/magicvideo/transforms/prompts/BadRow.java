package magicvideo.transforms.prompts;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Thrown while reading one row to reject it. Checked, so every parsing step says that it can reject
 * a row; the reader turns it into a {@link PromptFailure} that names the file and line.
 */
final class BadRow extends Exception {
  private static final int MAX_EXCERPT_CHARS = 40;

  private final FailureKind kind;
  private final @Nullable String id;

  BadRow(FailureKind kind, String reason) {
    this(kind, reason, null);
  }

  private BadRow(FailureKind kind, String reason, @Nullable String id) {
    // No stack trace: bad rows are expected data, rejected by the thousand in a dirty dataset.
    super(reason, null, false, false);
    this.kind = kind;
    this.id = id;
  }

  /** The same rejection, naming the id the row gave (once it is known). */
  BadRow forId(@Nullable String rowId) {
    return new BadRow(kind, getMessage(), rowId);
  }

  /** A value for quoting in a reason, cut so that a huge bad value cannot bury the reason. */
  static String excerpt(String value) {
    return value.length() <= MAX_EXCERPT_CHARS
        ? value
        : value.substring(0, MAX_EXCERPT_CHARS) + "...";
  }

  FailureKind kind() {
    return kind;
  }

  String reason() {
    return getMessage();
  }

  @Nullable String id() {
    return id;
  }
}
