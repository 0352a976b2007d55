package magicvideo.transforms.prompts;

import java.util.HexFormat;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Request ids. An id names the video's files ({@code videos/<shard>/<id>.mp4}), so only ids that
 * are safe file names on every Beam filesystem are used as given; others are replaced by a derived
 * id, and the row keeps the given one in its extras as {@code original_id}.
 */
public final class PromptIds {
  /**
   * Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters: no
   * path separators, no "." or "..", no leading '-' that tools would read as an option.
   */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final int DERIVED_HEX_CHARS = 16;

  private PromptIds() {}

  public static boolean isSafe(@Nullable String id) {
    return id != null && SAFE.matcher(id).matches();
  }

  /**
   * The id of a row that gives no safe id: the first 16 hex digits of {@code sha256(fileName + "\n"
   * + line + "\n" + prompt)}. The file's name, not its full path, so ids survive moving a dataset
   * between folders or from disk to a bucket; the line, so the same prompt on two lines gets two
   * ids.
   */
  public static String derive(String fileName, long line, String prompt) {
    byte[] hash = StableHash.sha256(fileName + "\n" + line + "\n" + prompt);
    return HexFormat.of().formatHex(hash, 0, DERIVED_HEX_CHARS / 2);
  }

  /**
   * The id of video {@code index} of a row: the row's id when the run makes one video per prompt,
   * else {@code <rowId>-<index>}. The suffixed ids cannot collide with each other: the part after
   * the last '-' is the index, so equal ids have equal indexes and equal row ids.
   */
  public static String forVideo(String rowId, int index, int videosPerPrompt) {
    return videosPerPrompt == 1 ? rowId : rowId + "-" + index;
  }
}
