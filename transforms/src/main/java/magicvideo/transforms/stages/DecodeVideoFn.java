package magicvideo.transforms.stages;

import java.util.ArrayList;
import java.util.List;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.Stage;
import magicvideo.models.generate.VideoGenerator;

/** Latents -> uint8 RGB frames with the VideoVAE decoder. */
final class DecodeVideoFn extends GpuStageFn<VideoBatch> {

  DecodeVideoFn(StageConfig config) {
    super(config, Stage.DECODE);
  }

  @ProcessElement
  public void process(@Element VideoBatch batch, MultiOutputReceiver out) {
    run(batch.shard(), batch.videos(), out);
  }

  @Override
  List<VideoWork> apply(VideoGenerator g, List<VideoWork> videos, GenerationSettings settings) {
    List<VideoFrames> frames = g.decode(videos.stream().map(VideoWork::latents).toList(), settings);
    List<VideoWork> out = new ArrayList<>();
    for (int i = 0; i < videos.size(); i++) {
      out.add(videos.get(i).withFrames(frames.get(i)));
    }
    return out;
  }
}
