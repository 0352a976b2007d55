package magicvideo.transforms.video;

/**
 * The video containers the pipeline writes, each tied to one codec and the FFmpeg encoder that
 * produces it. The encoder is named explicitly because FFmpeg silently substitutes another codec
 * when a named one is missing (on the LGPL build "libx264" becomes MPEG-4 Part 2).
 */
public enum VideoFormat {
  /** H.264 in MP4 through Cisco's OpenH264, the H.264 encoder an LGPL FFmpeg build carries. */
  MP4("mp4", "video/mp4", "mp4", "libopenh264", "h264"),
  /** VP9 in WebM through libvpx. */
  WEBM("webm", "video/webm", "webm", "libvpx-vp9", "vp9");

  private final String extension;
  private final String mimeType;
  private final String muxer;
  private final String encoder;
  private final String codec;

  VideoFormat(String extension, String mimeType, String muxer, String encoder, String codec) {
    this.extension = extension;
    this.mimeType = mimeType;
    this.muxer = muxer;
    this.encoder = encoder;
    this.codec = codec;
  }

  /** File name extension without the dot, e.g. {@code mp4}. */
  public String extension() {
    return extension;
  }

  public String mimeType() {
    return mimeType;
  }

  /** FFmpeg muxer (output format) name. */
  public String muxer() {
    return muxer;
  }

  /** FFmpeg encoder name, e.g. {@code libopenh264}. */
  public String encoder() {
    return encoder;
  }

  /** FFmpeg codec name a decoder reports for this format's video stream, e.g. {@code h264}. */
  public String codec() {
    return codec;
  }
}
