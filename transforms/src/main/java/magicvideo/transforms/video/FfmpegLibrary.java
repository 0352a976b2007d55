package magicvideo.transforms.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;

/** FFmpeg's native libraries, loaded once per JVM. */
final class FfmpegLibrary {

  static {
    // JavaCPP's own natives are linked into FFmpeg's JNI libraries (there is no separate javacpp
    // platform jar): they must be loaded before the first Pointer is allocated
    Loader.load(avformat.class);
    Loader.load(swscale.class);
    // FFmpeg logs a banner per opened file and encoder at its default level (INFO); a worker
    // encoding thousands of clips keeps only errors
    av_log_set_level(AV_LOG_ERROR);
  }

  private FfmpegLibrary() {}

  /** Runs the static initialiser above; a no-op after the first call. */
  static void load() {}
}
