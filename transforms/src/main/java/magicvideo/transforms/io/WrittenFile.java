package magicvideo.transforms.io;

/** A file written completely under its final path: what a manifest line records about it. */
public record WrittenFile(String path, long bytes, String sha256) {}
