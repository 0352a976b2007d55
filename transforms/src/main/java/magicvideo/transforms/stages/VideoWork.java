package magicvideo.transforms.stages;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.LatentClip;
import magicvideo.models.generate.VideoRequest;
import magicvideo.transforms.prompts.PromptRequest;

/**
 * One video between the GPU stages: its request, its shard, what the last stage made (latents
 * until decoding, uint8 frames after) and the seconds each stage spent on it. Compact on purpose:
 * 16x4x32x32 floats (256 KiB) of keyframe latents, 61x256x256x3 bytes (12 MiB) of decoded frames
 * for the SD-sized model.
 */
public record VideoWork(PromptRequest request, int shard, LatentClip latents, VideoFrames frames,
    Map<String, Double> stageSeconds) implements Serializable {

  public static VideoWork start(PromptRequest request, int shard) {
    return new VideoWork(request, shard, null, null, Map.of());
  }

  public VideoRequest videoRequest() {
    return new VideoRequest(request.getId(), request.getPrompt(), request.getNegativePrompt(), request.getSeed());
  }

  /** The next stage's latents replace the previous ones. */
  public VideoWork withLatents(LatentClip clip) {
    return new VideoWork(request, shard, clip, null, stageSeconds);
  }

  /** Frames replace latents (after decoding) or earlier frames (after super-resolution). */
  public VideoWork withFrames(VideoFrames video) {
    return new VideoWork(request, shard, null, video, stageSeconds);
  }

  public VideoWork withRequest(PromptRequest r) {
    return new VideoWork(r, shard, latents, frames, stageSeconds);
  }

  /** Records the seconds {@code stage} spent on this video. */
  public VideoWork timed(String stage, double seconds) {
    Map<String, Double> t = new LinkedHashMap<>(stageSeconds);
    t.put(stage, seconds);
    return new VideoWork(request, shard, latents, frames, t);
  }
}
