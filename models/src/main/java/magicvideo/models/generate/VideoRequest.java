package magicvideo.models.generate;

import java.io.Serializable;

/**
 * One video to make: what the user asked for. Everything random about the video derives from
 * {@code seed}, so the same request gives the same video on every machine and runner.
 *
 * @param id stable identifier (names the output files)
 * @param prompt the text the video should show
 * @param negativePrompt what the unconditional half of classifier-free guidance sees ("" = none)
 * @param seed the video's seed
 */
public record VideoRequest(String id, String prompt, String negativePrompt, long seed) implements Serializable {
  public VideoRequest {
    if (prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("video " + id + ": prompt is empty");
    }
    negativePrompt = negativePrompt == null ? "" : negativePrompt;
  }
}
