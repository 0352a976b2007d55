package magicvideo.transforms.stages;

import java.util.ArrayList;
import java.util.List;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.LatentClip;
import magicvideo.models.generate.Stage;
import magicvideo.models.generate.VideoGenerator;

/** Keyframe latents -> dense latents (latent frame interpolation). */
final class InterpolateLatentsFn extends GpuStageFn<VideoBatch> {

  InterpolateLatentsFn(StageConfig config) {
    super(config, Stage.INTERPOLATE);
  }

  @ProcessElement
  public void process(@Element VideoBatch batch, MultiOutputReceiver out) {
    run(batch.shard(), batch.videos(), out);
  }

  @Override
  List<VideoWork> apply(VideoGenerator g, List<VideoWork> videos, GenerationSettings settings) {
    List<LatentClip> dense = g.interpolate(videos.stream().map(VideoWork::videoRequest).toList(),
        videos.stream().map(VideoWork::latents).toList(), settings);
    List<VideoWork> out = new ArrayList<>();
    for (int i = 0; i < videos.size(); i++) {
      out.add(videos.get(i).withLatents(dense.get(i)));
    }
    return out;
  }
}
