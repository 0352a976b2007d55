package magicvideo.transforms.stages;

import java.io.Serializable;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.video.PreviewFormat;
import magicvideo.transforms.video.VideoFormat;

/**
 * How finished videos are written.
 *
 * @param layout the output folder
 * @param format MP4 (H.264) or WebM (VP9)
 * @param preview GIF or JPEG beside each video, or null for none
 * @param previewMaxSide previews are shrunk to at most this many pixels per side
 */
public record OutputConfig(OutputLayout layout, VideoFormat format, PreviewFormat preview, int previewMaxSide)
    implements Serializable {}
