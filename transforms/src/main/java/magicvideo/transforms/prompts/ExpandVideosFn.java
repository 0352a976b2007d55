package magicvideo.transforms.prompts;

import org.apache.beam.sdk.transforms.DoFn;

/** Makes {@code videosPerPrompt} requests of each row, with their own ids and seeds. */
final class ExpandVideosFn extends DoFn<PromptRequest, PromptRequest> {
  private final int videosPerPrompt;

  ExpandVideosFn(int videosPerPrompt) {
    this.videosPerPrompt = videosPerPrompt;
  }

  @ProcessElement
  public void processElement(@Element PromptRequest row, OutputReceiver<PromptRequest> out) {
    for (int k = 0; k < videosPerPrompt; k++) {
      out.output(
          row.toBuilder()
              .setId(PromptIds.forVideo(row.getId(), k, videosPerPrompt))
              .setSeed(PromptSeeds.forVideo(row.getSeed(), k))
              .setVideoIndex(k)
              .build());
    }
  }
}
