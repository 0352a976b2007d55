package magicvideo.models.convert;

import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import magicvideo.models.io.TensorInfo;

/**
 * Older diffusers VAEs (before 0.14, which many SD 1.x repositories still ship) name the
 * mid-block attention projections {@code query/key/value/proj_attn}, and checkpoints converted
 * from the original SD code store them as 1x1 convolutions [C, C, 1, 1]. Both are the same
 * linear maps as today's {@code to_q/to_k/to_v/to_out.0} [C, C], so they are renamed and
 * reshaped, never re-laid out.
 */
final class LegacyVaeNames {
  private static final Pattern OLD =
      Pattern.compile("(.*\\.attentions\\.\\d+\\.)(query|key|value|proj_attn)\\.(weight|bias)");
  private static final Pattern ATTENTION_WEIGHT =
      Pattern.compile(".*\\.attentions\\.\\d+\\.(to_q|to_k|to_v|to_out\\.0)\\.weight");
  private static final Map<String, String> NEW =
      Map.of("query", "to_q", "key", "to_k", "value", "to_v", "proj_attn", "to_out.0");

  private LegacyVaeNames() {}

  /** The {@link SourceCheckpoint.Naming} of a VAE file in either naming. */
  static SourceCheckpoint.View view(TensorInfo tensor) {
    Matcher old = OLD.matcher(tensor.name());
    String name = old.matches()
        ? old.group(1) + NEW.get(old.group(2)) + "." + old.group(3) : tensor.name();
    long[] shape = tensor.shape();
    if (ATTENTION_WEIGHT.matcher(name).matches() && shape.length == 4 && shape[2] == 1
        && shape[3] == 1) {
      shape = new long[] {shape[0], shape[1]};
    }
    return new SourceCheckpoint.View(name, new Shape(shape));
  }
}
