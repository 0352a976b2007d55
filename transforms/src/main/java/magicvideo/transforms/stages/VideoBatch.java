package magicvideo.transforms.stages;

import java.io.Serializable;
import java.util.List;

/**
 * The videos of one shard that go through a GPU stage in one forward pass. Batches are formed once
 * (GroupIntoBatches per shard) and keep their membership through the stages, minus videos that
 * failed, so no stage shuffles again.
 */
public record VideoBatch(int shard, List<VideoWork> videos) implements Serializable {
  public VideoBatch {
    videos = List.copyOf(videos);
  }
}
