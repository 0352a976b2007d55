package magicvideo.transforms.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import magicvideo.models.VideoFrames;

/**
 * Encodes a clip to MP4 (H.264) or WebM (VP9) bytes. The same frames give byte-identical output
 * on every run, also when clips are encoded in parallel threads. Across machines the colour
 * conversion is forced bit-exact; the encoders' own CPU-specific code paths are meant to be
 * bit-exact too, which was not checked on a second CPU model.
 *
 * <p>H.264 in 4:2:0 needs an even width and height: an odd-sized clip is padded by repeating its
 * last column and/or row, so its MP4 is up to one pixel wider and taller than the clip. WebM
 * keeps odd sizes as they are.
 */
public final class VideoEncoder {

  /**
   * Per-format encoder options. Measured on a moving square over a gradient (PSNR of decoded RGB;
   * 4:2:0 conversion alone caps it at ~44 dB): H.264 35-43 dB, VP9 38-45 dB from 64x64 to
   * 1024x1024; at 1024x1024 ~12 ms (H.264) and ~50 ms (VP9) per frame on one core.
   */
  private static final Map<VideoFormat, Map<String, String>> ENCODER_OPTIONS = Map.of(
      // OpenH264 with rate control off: its default "quality" rate control refuses noise-like
      // frames (what untrained or diverged models make) at 64x64 and 128x128. High profile turns
      // on CABAC (~35% smaller at 1024x1024 for the same PSNR than constrained baseline). Frame
      // skipping must stay off, or a clip could lose frames.
      VideoFormat.MP4, Map.of("profile", "high", "allow_skip_frames", "0", "rc_mode", "off"),
      // constant quality (crf with no bitrate target); speed 4 of the "good" deadline is ~4x
      // faster than speed 1 for ~0.3 dB
      VideoFormat.WEBM, Map.of("crf", "30", "b", "0", "deadline", "good", "cpu-used", "4"));

  private VideoEncoder() {}

  /** Encodes {@code clip} into a complete {@code format} file held in memory. */
  public static byte[] encode(VideoFrames clip, VideoFormat format) {
    VideoFrames frames = format == VideoFormat.MP4 ? EvenSize.pad(clip) : clip;
    Path file = null;
    try {
      // A file rather than a memory stream: MP4's index is rewritten at the front at the end
      // (faststart), which needs a seekable, re-readable output.
      file = Files.createTempFile("magicvideo-", "." + format.extension());
      try (FfmpegVideoWriter writer = new FfmpegVideoWriter(file, format, frames.width(),
          frames.height(), frames.fps(), ENCODER_OPTIONS.get(format))) {
        for (int f = 0; f < frames.frames(); f++) {
          writer.write(frames.rgb(), f * frames.frameBytes());
        }
        writer.finish();
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Encoding " + format + " through a temporary file failed", e);
    } finally {
      deleteQuietly(file);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temp file left behind is not worth failing an encoded video for
      }
    }
  }
}
