package magicvideo.transforms.stages;

import java.io.Serializable;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.transforms.prompts.PromptRequest;

/**
 * What every GPU stage of a run needs: where the model is and the run's generation settings.
 *
 * @param model model directory location on any Beam filesystem (local, gs://)
 * @param settings the run's settings; per-row overrides are applied by {@link #effective}
 * @param forwardPassesPerDevice forward passes that may run on one device of a worker at once
 *     ({@link magicvideo.models.generate.DeviceGuard}); more than 1 only pays on a large GPU
 */
public record StageConfig(String model, GenerationSettings settings, int forwardPassesPerDevice)
    implements Serializable {
  public StageConfig {
    settings.validated();
    if (forwardPassesPerDevice < 1) {
      throw new IllegalArgumentException("forward passes per device must be >= 1, got " + forwardPassesPerDevice);
    }
  }

  /** One forward pass per device at a time. */
  public StageConfig(String model, GenerationSettings settings) {
    this(model, settings, 1);
  }

  /** The run's settings with the row's own steps, guidance and fps where it gives them. */
  public GenerationSettings effective(PromptRequest r) {
    GenerationSettings s = settings;
    if (r.getSteps() != null) {
      s = s.withSteps(r.getSteps());
    }
    if (r.getGuidanceScale() != null) {
      s = s.withGuidance(r.getGuidanceScale().floatValue());
    }
    if (r.getFps() != null) {
      s = s.withFps(r.getFps());
    }
    return s;
  }
}
