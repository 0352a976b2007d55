package magicvideo.transforms.stages;

import java.util.ArrayList;
import java.util.List;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.Stage;
import magicvideo.models.generate.VideoGenerator;

/** Frames -> x4 frames with diffusion super-resolution. */
final class UpscaleVideoFn extends GpuStageFn<VideoBatch> {

  UpscaleVideoFn(StageConfig config) {
    super(config, Stage.UPSCALE);
  }

  @ProcessElement
  public void process(@Element VideoBatch batch, MultiOutputReceiver out) {
    run(batch.shard(), batch.videos(), out);
  }

  @Override
  List<VideoWork> apply(VideoGenerator g, List<VideoWork> videos, GenerationSettings settings) {
    List<VideoFrames> high = g.upscale(videos.stream().map(VideoWork::videoRequest).toList(),
        videos.stream().map(VideoWork::frames).toList(), settings);
    List<VideoWork> out = new ArrayList<>();
    for (int i = 0; i < videos.size(); i++) {
      out.add(videos.get(i).withFrames(high.get(i)));
    }
    return out;
  }
}
