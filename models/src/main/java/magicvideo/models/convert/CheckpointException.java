package magicvideo.models.convert;

import java.io.IOException;

/**
 * A Stable Diffusion checkpoint that cannot become a MagicVideo model as it is: a config field
 * our networks cannot represent, or weights that do not fit the config. The message names the
 * file and the field or tensors, so the user knows what to change.
 */
public final class CheckpointException extends IOException {
  CheckpointException(String message) {
    super(message);
  }
}
