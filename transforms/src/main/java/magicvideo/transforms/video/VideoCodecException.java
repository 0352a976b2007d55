package magicvideo.transforms.video;

/** Encoding or decoding a video failed inside FFmpeg, or produced something other than asked. */
public class VideoCodecException extends RuntimeException {
  public VideoCodecException(String message) {
    super(message);
  }

  public VideoCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
