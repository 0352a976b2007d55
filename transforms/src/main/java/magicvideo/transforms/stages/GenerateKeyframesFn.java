package magicvideo.transforms.stages;

import java.util.ArrayList;
import java.util.List;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.LatentClip;
import magicvideo.models.generate.Stage;
import magicvideo.models.generate.VideoGenerator;
import magicvideo.models.text.TokenizedPrompt;
import magicvideo.transforms.prompts.PromptRequest;
import org.apache.beam.sdk.values.KV;

/** Text -> keyframe latents for a batch of one shard; records prompt tokens lost to truncation. */
final class GenerateKeyframesFn extends GpuStageFn<KV<Integer, Iterable<PromptRequest>>> {

  GenerateKeyframesFn(StageConfig config) {
    super(config, Stage.KEYFRAMES);
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<PromptRequest>> batch, MultiOutputReceiver out) {
    List<VideoWork> videos = new ArrayList<>();
    for (PromptRequest r : batch.getValue()) {
      videos.add(VideoWork.start(r, batch.getKey()));
    }
    run(batch.getKey(), videos, out);
  }

  @Override
  List<VideoWork> apply(VideoGenerator g, List<VideoWork> videos, GenerationSettings settings) {
    List<TokenizedPrompt> tokens = g.tokenize(videos.stream().map(w -> w.request().getPrompt()).toList());
    List<LatentClip> latents = g.keyframes(videos.stream().map(VideoWork::videoRequest).toList(), settings);
    List<VideoWork> out = new ArrayList<>();
    for (int i = 0; i < videos.size(); i++) {
      VideoWork w = videos.get(i);
      PromptRequest withTokens = w.request().toBuilder().setTokensDropped(tokens.get(i).droppedTokens()).build();
      out.add(w.withRequest(withTokens).withLatents(latents.get(i)));
    }
    return out;
  }
}
