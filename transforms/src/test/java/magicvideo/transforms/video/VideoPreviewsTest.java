package magicvideo.transforms.video;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import magicvideo.models.VideoFrames;
import org.junit.Test;

public class VideoPreviewsTest {

  private final VideoFrames clip = SyntheticClips.movingSquare(16, 64, 64, 8);

  @Test
  public void gifHasEveryFrameAtTheClipsRate() throws IOException {
    byte[] gif = VideoPreviews.encode(clip, PreviewFormat.GIF, 64);
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
      reader.setInput(in);
      assertEquals(16, reader.getNumImages(true));
      BufferedImage last = reader.read(15);
      assertEquals(64, last.getWidth());
      assertEquals(64, last.getHeight());
      IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0)
          .getAsTree("javax_imageio_gif_image_1.0");
      IIOMetadataNode control =
          (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
      assertEquals("13", control.getAttribute("delayTime")); // 100 / 8 fps, rounded
      assertThat(psnr(clip, 15, last), greaterThan(30.0));
    } finally {
      reader.dispose();
    }
  }

  @Test
  public void jpegPosterIsTheMiddleFrame() throws IOException {
    BufferedImage poster = ImageIO.read(new ByteArrayInputStream(
        VideoPreviews.encode(clip, PreviewFormat.JPEG, 64)));
    assertEquals(64, poster.getWidth());
    assertEquals(64, poster.getHeight());
    double middle = psnr(clip, 7, poster);
    assertThat(middle, greaterThan(30.0));
    assertThat(middle, greaterThan(psnr(clip, 0, poster) + 5));
  }

  @Test
  public void previewsShrinkToFitTheLongestSide() throws IOException {
    VideoFrames wide = SyntheticClips.movingSquare(2, 40, 128, 8);
    BufferedImage poster = ImageIO.read(new ByteArrayInputStream(
        VideoPreviews.encode(wide, PreviewFormat.JPEG, 50)));
    assertEquals(43, poster.getWidth()); // factor 3: ceil(128 / 3)
    assertEquals(14, poster.getHeight()); // ceil(40 / 3)
    BufferedImage gif = ImageIO.read(new ByteArrayInputStream(
        VideoPreviews.encode(wide, PreviewFormat.GIF, 50)));
    assertEquals(43, gif.getWidth());
  }

  @Test
  public void pngStripHoldsTheChosenFramesExactly() throws IOException {
    BufferedImage strip = ImageIO.read(new ByteArrayInputStream(
        VideoPreviews.framesPng(clip, new int[] {0, 5, 15}, 64)));
    assertEquals(3 * 64 + 2 * 2, strip.getWidth()); // frames 2 pixels apart
    assertEquals(64, strip.getHeight());
    int[] frames = {0, 5, 15};
    for (int i = 0; i < frames.length; i++) {
      assertEquals(Double.POSITIVE_INFINITY,
          psnr(clip, frames[i], strip.getSubimage(i * 66, 0, 64, 64)), 0);
    }
    assertEquals(0x808080, strip.getRGB(64, 10) & 0xffffff);
    BufferedImage shrunk = ImageIO.read(new ByteArrayInputStream(
        VideoPreviews.framesPng(clip, new int[] {0, 1}, 32)));
    assertEquals(2 * 32 + 2, shrunk.getWidth());
    assertEquals(32, shrunk.getHeight());
  }

  @Test
  public void previewsAreDeterministic() {
    for (PreviewFormat format : PreviewFormat.values()) {
      assertArrayEquals(format.toString(), VideoPreviews.encode(clip, format, 64),
          VideoPreviews.encode(clip, format, 64));
    }
  }

  /** PSNR of a decoded preview against frame {@code f} of the clip (same size). */
  private static double psnr(VideoFrames clip, int f, BufferedImage image) {
    byte[] rgb = new byte[clip.frameBytes()];
    for (int y = 0; y < clip.height(); y++) {
      for (int x = 0; x < clip.width(); x++) {
        int pixel = image.getRGB(x, y);
        int at = (y * clip.width() + x) * 3;
        rgb[at] = (byte) (pixel >> 16);
        rgb[at + 1] = (byte) (pixel >> 8);
        rgb[at + 2] = (byte) pixel;
      }
    }
    return VideoQuality.psnr(
        new VideoFrames(1, clip.height(), clip.width(), clip.fps(), clip.frame(f)),
        new VideoFrames(1, clip.height(), clip.width(), clip.fps(), rgb));
  }
}
