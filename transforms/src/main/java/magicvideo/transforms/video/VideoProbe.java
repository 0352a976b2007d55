package magicvideo.transforms.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import magicvideo.models.VideoFrames;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Reads encoded videos back with javacv's FFmpegFrameGrabber: to check what was written (codec,
 * frame count, size, rate) and to compare decoded pixels with the input ({@link VideoQuality}).
 * Frames are counted by decoding them all, not from the container's duration, which is an
 * estimate.
 */
public final class VideoProbe {

  static {
    FfmpegLibrary.load();
  }

  private VideoProbe() {}

  public static VideoInfo probe(byte[] video) {
    return read(new FFmpegFrameGrabber(new ByteArrayInputStream(video)), "video bytes", false).info;
  }

  public static VideoInfo probe(Path file) {
    return read(new FFmpegFrameGrabber(file.toFile()), file.toString(), false).info;
  }

  /** Decodes every frame to RGB: [frames, height, width, 3] at the stream's frame rate. */
  public static VideoFrames decode(byte[] video) {
    return read(new FFmpegFrameGrabber(new ByteArrayInputStream(video)), "video bytes", true)
        .frames();
  }

  public static VideoFrames decode(Path file) {
    return read(new FFmpegFrameGrabber(file.toFile()), file.toString(), true).frames();
  }

  private record Decoded(VideoInfo info, byte[] rgb) {
    VideoFrames frames() {
      return new VideoFrames(info.frames(), info.height(), info.width(), info.fps(), rgb);
    }
  }

  private static Decoded read(FFmpegFrameGrabber grabber, String source, boolean keepPixels) {
    try (grabber) {
      grabber.start();
      if (!grabber.hasVideo()) {
        throw new VideoCodecException(source + " has no video stream");
      }
      ByteArrayOutputStream rgb = new ByteArrayOutputStream();
      int frames = 0;
      for (Frame frame = grabber.grabImage(); frame != null; frame = grabber.grabImage()) {
        frames++;
        if (keepPixels) {
          appendRgb(frame, rgb);
        }
      }
      if (frames == 0) {
        throw new VideoCodecException(source + " has a video stream but no decodable frame");
      }
      VideoInfo info = new VideoInfo(avcodec_get_name(grabber.getVideoCodec()).getString(), frames,
          grabber.getImageWidth(), grabber.getImageHeight(), grabber.getFrameRate());
      return new Decoded(info, rgb.toByteArray());
    } catch (FrameGrabber.Exception e) {
      throw new VideoCodecException("Decoding " + source + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Appends one frame as RGB, without the row padding the decoder may add. The grabber delivers
   * BGR (asking it for RGB passes a pixel_format option to the demuxer, which logs a rejection
   * for every file).
   */
  private static void appendRgb(Frame frame, ByteArrayOutputStream out) {
    ByteBuffer bgr = (ByteBuffer) frame.image[0];
    byte[] row = new byte[frame.imageWidth * 3];
    for (int y = 0; y < frame.imageHeight; y++) {
      bgr.get(y * frame.imageStride, row);
      for (int x = 0; x < row.length; x += 3) {
        byte blue = row[x];
        row[x] = row[x + 2];
        row[x + 2] = blue;
      }
      out.writeBytes(row);
    }
  }
}
