package magicvideo.transforms.prompts;

/**
 * Request seeds, all in [0, 2^63): the range every consumer of a Java long seed accepts.
 *
 * <p>A row's base seed is its own {@code seed} when given, else {@link #derive}. Video {@code k} of
 * the row uses {@link #forVideo}{@code (base, k)} = base + k, so video 0 keeps its seed whatever
 * {@code videosPerPrompt} is. Given seeds that are close (1, 2, 3) can then share seeds across
 * rows; derived seeds are spread over 2^63 values, so that practically never happens to them.
 */
public final class PromptSeeds {
  private PromptSeeds() {}

  /**
   * The first 8 bytes of {@code sha256(runSeed + ":" + rowId)} (decimal run seed, UTF-8),
   * big-endian, with the sign bit cleared. Depends only on the run seed and the id, so a rerun or
   * {@code --resume} regenerates the same video, and a new run seed gives new videos for all rows.
   */
  public static long derive(long runSeed, String rowId) {
    return StableHash.firstLong(runSeed + ":" + rowId) & Long.MAX_VALUE;
  }

  /** {@code base + index}, wrapping within [0, 2^63). */
  public static long forVideo(long base, int index) {
    return (base + index) & Long.MAX_VALUE;
  }
}
