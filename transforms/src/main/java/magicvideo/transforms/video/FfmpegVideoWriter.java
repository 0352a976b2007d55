package magicvideo.transforms.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_BITEXACT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_DICT_IGNORE_SUFFIX;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BITEXACT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One video file being written with FFmpeg's C API: RGB frames in, one encoded video stream in a
 * container out. Uses the C API rather than javacv's FFmpegFrameRecorder because the recorder
 * falls back to the container's default codec when the named encoder is missing, and silently
 * changes the height of odd-width input; here the opened encoder is checked and nothing is
 * resized.
 *
 * <p>Everything that could vary between runs is pinned: one encoder thread (OpenH264 cuts one
 * slice per thread, so the bitstream would depend on the core count), bit-exact codec, muxer and
 * colour-conversion flags (no version strings or random WebM segment ids, no CPU-specific
 * rounding). Not thread-safe; one instance writes one file.
 */
final class FfmpegVideoWriter implements AutoCloseable {

  static {
    FfmpegLibrary.load();
  }

  private final VideoFormat format;
  private final int width;
  private final int height;
  private AVFormatContext container;
  private AVCodecContext encoder;
  private AVStream stream;
  private SwsContext toYuv;
  private AVFrame yuv;
  private AVPacket packet;
  private final BytePointer rgb;
  private final PointerPointer<BytePointer> rgbPlanes;
  private final IntPointer rgbStrides;
  private long nextPts;

  /**
   * Opens {@code file} for writing and starts the encoder. {@code encoderOptions} are FFmpeg
   * options of {@code format}'s encoder (its private ones or generic codec ones); one that the
   * encoder does not know is an error rather than silently ignored.
   */
  FfmpegVideoWriter(
      Path file, VideoFormat format, int width, int height, double fps,
      Map<String, String> encoderOptions) {
    this.format = format;
    this.width = width;
    this.height = height;
    this.rgb = new BytePointer((long) width * height * 3);
    // swscale reads four plane pointers and strides whatever the format; packed RGB uses one
    this.rgbPlanes = new PointerPointer<BytePointer>(4).put(0, rgb);
    this.rgbStrides = new IntPointer(width * 3, 0, 0, 0);
    try {
      createContainer(file);
      openEncoder(fps, encoderOptions);
      startStream(file);
      openConverter();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void openEncoder(double fps, Map<String, String> encoderOptions) {
    AVCodec codec = avcodec_find_encoder_by_name(format.encoder());
    if (codec == null) {
      throw new VideoCodecException(
          "This FFmpeg build has no encoder '" + format.encoder() + "' needed for "
              + format + " (" + format.codec() + ")");
    }
    encoder = avcodec_alloc_context3(codec);
    AVRational frameRate = av_d2q(fps, 100_000);
    encoder.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P)
        .framerate(frameRate).time_base(av_inv_q(frameRate))
        .color_range(AVCOL_RANGE_MPEG).colorspace(AVCOL_SPC_SMPTE170M)
        .thread_count(1)
        .flags(encoder.flags() | AV_CODEC_FLAG_BITEXACT);
    if ((container.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
      // MP4 keeps the H.264 parameter sets in its avcC box, not in the stream: the encoder must
      // know before it opens, as it produces them only then
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    AVDictionary options = new AVDictionary(null);
    try {
      encoderOptions.forEach((key, value) -> av_dict_set(options, key, value, 0));
      check(avcodec_open2(encoder, codec, options), "opening encoder " + format.encoder());
      rejectUnused(options, "encoder " + format.encoder());
    } finally {
      av_dict_free(options);
    }
    String opened = avcodec_get_name(encoder.codec_id()).getString();
    if (!opened.equals(format.codec())) {
      throw new VideoCodecException(
          "Encoder '" + format.encoder() + "' opened codec '" + opened + "', expected '"
              + format.codec() + "' for " + format);
    }
  }

  private void createContainer(Path file) {
    AVFormatContext allocated = new AVFormatContext(null);
    check(avformat_alloc_output_context2(allocated, null, format.muxer(), file.toString()),
        "creating " + format.muxer() + " muxer");
    container = allocated;
  }

  private void startStream(Path file) {
    stream = avformat_new_stream(container, null);
    check(avcodec_parameters_from_context(stream.codecpar(), encoder), "copying codec parameters");
    stream.time_base(encoder.time_base()).avg_frame_rate(encoder.framerate());
    AVIOContext io = new AVIOContext(null);
    check(avio_open(io, file.toString(), AVIO_FLAG_WRITE), "opening " + file);
    container.pb(io);
    AVDictionary options = new AVDictionary(null);
    try {
      av_dict_set(options, "fflags", "+bitexact", 0);
      if (format == VideoFormat.MP4) {
        // moov box first, so players and browsers start playing before the whole file arrives
        av_dict_set(options, "movflags", "+faststart", 0);
      }
      check(avformat_write_header(container, options), "writing " + format.muxer() + " header");
      rejectUnused(options, "muxer " + format.muxer());
    } finally {
      av_dict_free(options);
    }
  }

  private void openConverter() {
    toYuv = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P,
        SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT, null, null, (double[]) null);
    if (toYuv == null) {
      throw new VideoCodecException("No RGB24 -> YUV420P conversion for " + width + "x" + height);
    }
    yuv = av_frame_alloc();
    yuv.format(AV_PIX_FMT_YUV420P).width(width).height(height);
    check(av_frame_get_buffer(yuv, 0), "allocating a " + width + "x" + height + " frame");
    packet = av_packet_alloc();
  }

  /** Encodes one frame: {@code width * height * 3} RGB bytes starting at {@code offset}. */
  void write(byte[] rgbFrames, int offset) {
    rgb.position(0).put(rgbFrames, offset, width * height * 3);
    check(av_frame_make_writable(yuv), "making the frame writable");
    sws_scale(toYuv, rgbPlanes, rgbStrides, 0, height, yuv.data(), yuv.linesize());
    yuv.pts(nextPts++);
    check(avcodec_send_frame(encoder, yuv), "sending frame " + yuv.pts() + " to the encoder");
    drainPackets();
  }

  /** Flushes the encoder's delayed frames and writes the container's index. */
  void finish() {
    check(avcodec_send_frame(encoder, null), "flushing the encoder");
    drainPackets();
    check(av_write_trailer(container), "writing " + format.muxer() + " trailer");
  }

  private void drainPackets() {
    while (true) {
      int ret = avcodec_receive_packet(encoder, packet);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      check(ret, "receiving a packet from " + format.encoder());
      if (packet.duration() == 0) {
        // both encoders leave it unset; the muxers need it for the last frame's duration
        // (one frame in the encoder's 1/fps time base)
        packet.duration(1);
      }
      av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
      packet.stream_index(stream.index());
      check(av_interleaved_write_frame(container, packet), "writing a packet");
    }
  }

  @Override
  public void close() {
    if (container != null) {
      if (container.pb() != null) {
        avio_closep(container.pb());
      }
      avformat_free_context(container);
      container = null;
    }
    if (encoder != null) {
      avcodec_free_context(encoder);
      encoder = null;
    }
    if (toYuv != null) {
      sws_freeContext(toYuv);
      toYuv = null;
    }
    if (yuv != null) {
      av_frame_free(yuv);
      yuv = null;
    }
    if (packet != null) {
      av_packet_free(packet);
      packet = null;
    }
    rgbPlanes.close();
    rgbStrides.close();
    rgb.close();
  }

  /** FFmpeg removes the options it used from the dictionary: whatever is left was misspelt. */
  private static void rejectUnused(AVDictionary options, String where) {
    List<String> unused = new ArrayList<>();
    for (AVDictionaryEntry e = av_dict_get(options, "", null, AV_DICT_IGNORE_SUFFIX);
        e != null;
        e = av_dict_get(options, "", e, AV_DICT_IGNORE_SUFFIX)) {
      unused.add(e.key().getString() + "=" + e.value().getString());
    }
    if (!unused.isEmpty()) {
      throw new VideoCodecException(where + " does not know the options " + unused);
    }
  }

  private static void check(int ret, String what) {
    if (ret < 0) {
      try (BytePointer message = new BytePointer(256)) {
        // zeroed: for codes FFmpeg does not know, av_strerror may leave the buffer unterminated
        message.zero();
        av_strerror(ret, message, message.capacity() - 1);
        throw new VideoCodecException(
            "FFmpeg failed " + what + ": " + message.getString() + " (error " + ret + ")");
      }
    }
  }
}
