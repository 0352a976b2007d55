package magicvideo.pipeline.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.GenerationSettings;
import magicvideo.models.generate.VideoGenerator;
import magicvideo.models.generate.VideoRequest;
import magicvideo.transforms.io.AtomicOutputs;
import magicvideo.transforms.video.PreviewFormat;
import magicvideo.transforms.video.VideoEncoder;
import magicvideo.transforms.video.VideoFormat;
import magicvideo.transforms.video.VideoPreviews;

/**
 * The baseline the pipeline is measured against: the same prompts through {@link VideoGenerator}
 * in a plain loop on one thread, batch by batch, each video then encoded, previewed and written as
 * the job's EncodeVideo step does (same encoder, preview and atomic write), without Beam.
 */
final class GeneratorLoop {
  /**
   * One loop run: opening the model once, then generating (every stage up to frames) and writing
   * (video + preview encoding and the two file writes), each summed over the videos.
   */
  record Timing(Span load, Span generate, Span write) {
    Span loop() {
      return generate.plus(write);
    }
  }

  private final VideoFormat format;
  private final PreviewFormat preview;
  private final int previewMaxSide;

  /** {@code preview} may be null for none, as with {@code --preview=none}. */
  GeneratorLoop(VideoFormat format, PreviewFormat preview, int previewMaxSide) {
    this.format = format;
    this.preview = preview;
    this.previewMaxSide = previewMaxSide;
  }

  /**
   * Opens the model in {@code modelDir}, generates one untimed batch (the first call pays for
   * allocation and kernel selection), then times {@code prompts} in batches of {@code batchSize},
   * writing into {@code out}.
   */
  Timing run(Path modelDir, List<String> prompts, GenerationSettings settings, int batchSize, Path out)
      throws IOException {
    Span.Clock opening = Span.start();
    try (VideoGenerator generator = VideoGenerator.open(modelDir)) {
      Span load = opening.stop();
      generator.generate(requests(prompts.subList(0, Math.min(batchSize, prompts.size())), 0), settings);
      Span generate = Span.ZERO;
      Span write = Span.ZERO;
      for (int first = 0; first < prompts.size(); first += batchSize) {
        List<VideoRequest> batch =
            requests(prompts.subList(first, Math.min(first + batchSize, prompts.size())), first);
        Span.Clock generating = Span.start();
        List<VideoFrames> videos = generator.generate(batch, settings);
        generate = generate.plus(generating.stop());
        Span.Clock writing = Span.start();
        for (int i = 0; i < videos.size(); i++) {
          write(videos.get(i), out.resolve(batch.get(i).id()));
        }
        write = write.plus(writing.stop());
      }
      return new Timing(load, generate, write);
    }
  }

  private void write(VideoFrames video, Path stem) throws IOException {
    AtomicOutputs.write(stem + "." + format.extension(), format.mimeType(), VideoEncoder.encode(video, format));
    if (preview != null) {
      AtomicOutputs.write(stem + "." + preview.extension(), preview.mimeType(),
          VideoPreviews.encode(video, preview, previewMaxSide));
    }
  }

  /** Requests numbered from {@code first}, each with its own seed, no negative prompt. */
  private static List<VideoRequest> requests(List<String> prompts, int first) {
    List<VideoRequest> requests = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      int n = first + i;
      requests.add(new VideoRequest("loop-" + n, prompts.get(i), "", n));
    }
    return requests;
  }
}
