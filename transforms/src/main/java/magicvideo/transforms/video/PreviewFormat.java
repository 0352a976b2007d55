package magicvideo.transforms.video;

/** Still or animated previews written next to each video, e.g. for a gallery page. */
public enum PreviewFormat {
  /** The whole clip as a looping animated GIF. */
  GIF("gif", "image/gif"),
  /** One poster frame, the middle one, as JPEG. */
  JPEG("jpg", "image/jpeg");

  private final String extension;
  private final String mimeType;

  PreviewFormat(String extension, String mimeType) {
    this.extension = extension;
    this.mimeType = mimeType;
  }

  /** File name extension without the dot. */
  public String extension() {
    return extension;
  }

  public String mimeType() {
    return mimeType;
  }
}
