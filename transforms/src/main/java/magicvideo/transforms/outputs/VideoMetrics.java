package magicvideo.transforms.outputs;

/**
 * Beam counters of the videos of a run, in namespace {@value #NAMESPACE}; the launcher's progress
 * line and run record read them. They balance at the end of a run: {@code videos_pending =
 * videos_done + videos_failed}, and {@code videos_pending + videos_skipped} is the number of
 * requests read. Rows (before {@code videosPerPrompt}) are counted by {@code
 * magicvideo.transforms.prompts.PromptMetrics}.
 */
public final class VideoMetrics {
  public static final String NAMESPACE = "magicvideo";

  /**
   * Requests this run generates: read, and not complete in an earlier run ({@link SelectPending}).
   */
  public static final String VIDEOS_PENDING = "videos_pending";

  /** Requests complete in an earlier run, skipped by {@code --resume}. */
  public static final String VIDEOS_SKIPPED = "videos_skipped";

  /** Incremented by the generation stages once per video written and listed in the manifest. */
  public static final String VIDEOS_DONE = "videos_done";

  /** Incremented by the generation stages once per video sent to the failures output. */
  public static final String VIDEOS_FAILED = "videos_failed";

  private VideoMetrics() {}
}
