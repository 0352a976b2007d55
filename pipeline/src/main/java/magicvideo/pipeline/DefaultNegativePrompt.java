package magicvideo.pipeline;

import magicvideo.transforms.prompts.PromptRequest;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Gives {@code --negativePrompt} to the requests whose row has none, so the manifest records the
 * negative prompt each video was really made with.
 */
final class DefaultNegativePrompt
    extends PTransform<PCollection<PromptRequest>, PCollection<PromptRequest>> {
  private final String negativePrompt;

  DefaultNegativePrompt(String negativePrompt) {
    this.negativePrompt = negativePrompt;
  }

  @Override
  public PCollection<PromptRequest> expand(PCollection<PromptRequest> requests) {
    String fallback = negativePrompt; // the lambda must not capture this transform
    return requests.apply(
        "FillEmpty",
        MapElements.into(TypeDescriptor.of(PromptRequest.class))
            .via(
                r ->
                    r.getNegativePrompt().isEmpty()
                        ? r.toBuilder().setNegativePrompt(fallback).build()
                        : r));
  }
}
