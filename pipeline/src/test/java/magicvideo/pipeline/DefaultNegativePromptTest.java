package magicvideo.pipeline;

import magicvideo.transforms.prompts.PromptRequest;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class DefaultNegativePromptTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static PromptRequest request(String id, String negativePrompt) {
    return PromptRequest.builder()
        .setId(id)
        .setPrompt("a red circle")
        .setSeed(1)
        .setSource("p.jsonl")
        .setLine(1)
        .setNegativePrompt(negativePrompt)
        .build();
  }

  @Test
  public void onlyRowsWithoutANegativePromptGetTheDefault() {
    PCollection<String> negatives =
        pipeline
            .apply(Create.of(request("a", ""), request("b", "noisy")))
            .apply(new DefaultNegativePrompt("blurry"))
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(r -> r.getId() + ":" + r.getNegativePrompt()));

    PAssert.that(negatives).containsInAnyOrder("a:blurry", "b:noisy");
    pipeline.run().waitUntilFinish();
  }
}
