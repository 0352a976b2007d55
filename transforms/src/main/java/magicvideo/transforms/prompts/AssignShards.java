package magicvideo.transforms.prompts;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keys each request by its shard, a stable hash of its id modulo {@code numShards}. The next stage
 * batches per shard key (GroupIntoBatches), and the shard names the output folder {@code
 * videos/<shardName>/}, so a request lands in the same folder on every rerun.
 */
public final class AssignShards
    extends PTransform<PCollection<PromptRequest>, PCollection<KV<Integer, PromptRequest>>> {
  /** Digits in a shard folder name: listings sort numerically up to 100,000 shards. */
  private static final int SHARD_NAME_DIGITS = 5;

  private final int numShards;

  private AssignShards(int numShards) {
    this.numShards = numShards;
  }

  public static AssignShards into(int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, got " + numShards);
    }
    return new AssignShards(numShards);
  }

  @Override
  public PCollection<KV<Integer, PromptRequest>> expand(PCollection<PromptRequest> requests) {
    int shards = numShards; // the lambda must not capture this transform
    return requests.apply(
        "KeyByShard",
        WithKeys.<Integer, PromptRequest>of(request -> shardOf(request.getId(), shards))
            .withKeyType(TypeDescriptors.integers()));
  }

  /** The shard of an id, in [0, numShards): the first 8 bytes of SHA-256(id) modulo numShards. */
  public static int shardOf(String id, int numShards) {
    return (int) Math.floorMod(StableHash.firstLong(id), (long) numShards);
  }

  /** The folder name of a shard, zero-padded: 7 gives {@code 00007}. */
  public static String shardName(int shard) {
    if (shard < 0) {
      throw new IllegalArgumentException("shard must be 0 or more, got " + shard);
    }
    return String.format("%0" + SHARD_NAME_DIGITS + "d", shard);
  }
}
