package magicvideo.transforms.prompts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class AssignShardsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static PromptRequest request(String id) {
    return PromptRequest.builder()
        .setId(id)
        .setPrompt("p")
        .setSeed(0)
        .setSource("s")
        .setLine(1)
        .build();
  }

  /** A fixed value: shards name output folders, so they must not move between versions. */
  @Test
  public void theShardOfAnIdIsFixed() {
    assertEquals(2, AssignShards.shardOf("abc", 8));
  }

  @Test
  public void shardsAreInRangeAndEvenlyUsed() {
    int shards = 7;
    int[] counts = new int[shards];
    for (int i = 0; i < 7000; i++) {
      int shard = AssignShards.shardOf("prompt-" + i, shards);
      assertTrue(shard >= 0 && shard < shards);
      counts[shard]++;
    }
    for (int count : counts) {
      assertTrue("shard sizes " + java.util.Arrays.toString(counts), count > 850 && count < 1150);
    }
  }

  @Test
  public void keysEachRequestByTheShardOfItsId() {
    List<PromptRequest> requests = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      requests.add(request("id" + i));
      expected.add(AssignShards.shardOf("id" + i, 4) + ":id" + i);
    }
    PAssert.that(
            pipeline
                .apply(Create.of(requests))
                .apply(AssignShards.into(4))
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(kv -> kv.getKey() + ":" + kv.getValue().getId())))
        .containsInAnyOrder(expected);
    pipeline.run();
  }

  @Test
  public void shardNamesAreZeroPadded() {
    assertEquals("00007", AssignShards.shardName(7));
    assertEquals("123456", AssignShards.shardName(123456));
    assertThrows(IllegalArgumentException.class, () -> AssignShards.shardName(-1));
    assertThrows(IllegalArgumentException.class, () -> AssignShards.into(0));
  }
}
