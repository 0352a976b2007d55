package magicvideo.transforms.stages;

import java.io.IOException;
import magicvideo.models.generate.DenoiserConfig;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.ModelComponents;
import magicvideo.models.io.ModelManifest;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.ModelRef;
import magicvideo.transforms.prompts.PromptRequest;

/** The manifest line of a finished video or tensors file: what was asked, how, and what was written. */
final class VideoOutputs {
  private VideoOutputs() {}

  static ManifestEntry.Builder entry(VideoWork w, StageConfig config, ModelRef model, int keyframes) {
    PromptRequest r = w.request();
    GenerationSettings s = config.effective(r);
    ManifestEntry.Builder b = ManifestEntry.builder()
        .setId(r.getId())
        .setPrompt(r.getPrompt())
        .setNegativePrompt(r.getNegativePrompt())
        .setSeed(r.getSeed())
        .setModel(model)
        .setSampler(s.sampler())
        .setSteps(s.steps())
        .setGuidance(s.guidance())
        .setKeyframes(keyframes)
        .setFps(s.fps())
        .setStageSeconds(w.stageSeconds())
        .setTokensDropped(r.getTokensDropped() == null ? 0 : r.getTokensDropped())
        .setExtraJson(r.getExtraJson());
    if (w.frames() != null) {
      b.setFrames(w.frames().frames()).setWidth(w.frames().width()).setHeight(w.frames().height());
    } else {
      b.setFrames(w.latents().frames()).setWidth(w.latents().width()).setHeight(w.latents().height());
    }
    return b;
  }

  /** Keyframes per clip of a run: the setting, else the model's own. */
  static int keyframes(StageConfig config) throws IOException {
    if (config.settings().keyframes() > 0) {
      return config.settings().keyframes();
    }
    return ModelCache.open(config.model())
        .config(ModelComponents.KEYFRAME_UNET, DenoiserConfig.class).unet().numFrames();
  }

  static ModelRef modelRef(String location) throws IOException {
    var dir = ModelCache.open(location);
    ModelManifest m = dir.manifest();
    return new ModelRef(m.name(), m.version(), dir.fingerprint());
  }
}
