package magicvideo.transforms.video;

/**
 * What a decoder finds in a video file: the codec of its video stream (FFmpeg's codec name, e.g.
 * {@code h264}, {@code vp9}), the number of frames actually decoded, the frame size and rate.
 */
public record VideoInfo(String codec, int frames, int width, int height, double fps) {}
