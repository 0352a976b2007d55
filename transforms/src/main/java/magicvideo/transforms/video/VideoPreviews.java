package magicvideo.transforms.video;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import magicvideo.models.VideoFrames;

/**
 * Writes previews of a clip with the JDK's ImageIO (pure Java, so byte-identical on every
 * machine): an animated GIF of all frames, or a JPEG poster of the middle frame. Both can be
 * shrunk to fit a maximum side, by averaging whole blocks of pixels.
 */
public final class VideoPreviews {

  private static final float JPEG_QUALITY = 0.9f;

  /** Pixels between the frames of a strip: the frames' black backgrounds would run together. */
  private static final int STRIP_GAP = 2;

  private static final int STRIP_GAP_GREY = 0x808080;

  private VideoPreviews() {}

  /** The preview of {@code clip} in {@code format}, no side longer than {@code maxSide}. */
  public static byte[] encode(VideoFrames clip, PreviewFormat format, int maxSide) {
    return switch (format) {
      case GIF -> animatedGif(clip, maxSide);
      case JPEG -> posterJpeg(clip, maxSide);
    };
  }

  /**
   * Every frame as a looping animated GIF at the clip's rate. GIF delays are whole hundredths of
   * a second and browsers treat delays under 2 as 10, so the rate is rounded and capped at 50 fps.
   * Each frame gets its own 256-colour palette.
   */
  public static byte[] animatedGif(VideoFrames clip, int maxSide) {
    int delayCentis = Math.max(2, (int) Math.round(100 / clip.fps()));
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int f = 0; f < clip.frames(); f++) {
        BufferedImage image = frameImage(clip, f, maxSide);
        IIOMetadata metadata = writer.getDefaultImageMetadata(
            ImageTypeSpecifier.createFromRenderedImage(image), null);
        addAnimation(metadata, delayCentis, f == 0);
        writer.writeToSequence(new IIOImage(image, null, metadata), null);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException("Writing an animated GIF in memory failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** The middle frame (the first of the two middle ones for an even count) as a JPEG. */
  public static byte[] posterJpeg(VideoFrames clip, int maxSide) {
    BufferedImage image = frameImage(clip, (clip.frames() - 1) / 2, maxSide);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(JPEG_QUALITY);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing a JPEG poster in memory failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * Frames {@code frames} of {@code clip} side by side in one PNG, each shrunk to fit {@code
   * maxSide}, with a grey gap of {@value #STRIP_GAP} pixels between them: a contact strip of a
   * clip's motion. PNG because it is lossless, so that a small frame shows the exact colours that
   * were analysed.
   */
  public static byte[] framesPng(VideoFrames clip, int[] frames, int maxSide) {
    if (frames.length == 0) {
      throw new IllegalArgumentException("a strip needs at least one frame");
    }
    List<BufferedImage> images = new ArrayList<>();
    for (int f : frames) {
      if (f < 0 || f >= clip.frames()) {
        throw new IllegalArgumentException(
            "frame " + f + " is outside the clip's " + clip.frames() + " frames");
      }
      images.add(frameImage(clip, f, maxSide));
    }
    int width = images.get(0).getWidth();
    int height = images.get(0).getHeight();
    BufferedImage strip = new BufferedImage((width + STRIP_GAP) * images.size() - STRIP_GAP,
        height, BufferedImage.TYPE_3BYTE_BGR);
    int[] grey = new int[STRIP_GAP * height];
    Arrays.fill(grey, STRIP_GAP_GREY);
    for (int i = 0; i < images.size(); i++) {
      strip.getRaster().setRect(i * (width + STRIP_GAP), 0, images.get(i).getRaster());
      if (i > 0) {
        strip.setRGB(i * (width + STRIP_GAP) - STRIP_GAP, 0, STRIP_GAP, height, grey, 0, STRIP_GAP);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(strip, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing a PNG in memory failed", e);
    }
    return bytes.toByteArray();
  }

  /** Sets the frame delay and, on the first frame, the NETSCAPE2.0 extension that loops forever. */
  private static void addAnimation(IIOMetadata metadata, int delayCentis, boolean first)
      throws IIOInvalidTreeException {
    String format = metadata.getNativeMetadataFormatName();
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("delayTime", Integer.toString(delayCentis));
    control.setAttribute("transparentColorIndex", "0");
    if (first) {
      IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
      loop.setAttribute("applicationID", "NETSCAPE");
      loop.setAttribute("authenticationCode", "2.0");
      loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1: loop count 0 = forever
      child(root, "ApplicationExtensions").appendChild(loop);
    }
    metadata.setFromTree(format, root);
  }

  private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
    for (int i = 0; i < parent.getLength(); i++) {
      if (parent.item(i).getNodeName().equals(name)) {
        return (IIOMetadataNode) parent.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    parent.appendChild(node);
    return node;
  }

  /**
   * Frame {@code f} as an image, shrunk by the smallest whole factor that fits {@code maxSide}:
   * each output pixel is the mean of a factor x factor block (edge blocks are partial).
   */
  static BufferedImage frameImage(VideoFrames clip, int f, int maxSide) {
    if (maxSide < 1) {
      throw new IllegalArgumentException("maxSide must be >= 1, got " + maxSide);
    }
    int factor = ceilDiv(Math.max(clip.width(), clip.height()), maxSide);
    int width = ceilDiv(clip.width(), factor);
    int height = ceilDiv(clip.height(), factor);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    byte[] rgb = clip.rgb();
    int frameStart = f * clip.frameBytes();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int[] sum = new int[3];
        int count = 0;
        for (int sy = y * factor; sy < Math.min((y + 1) * factor, clip.height()); sy++) {
          for (int sx = x * factor; sx < Math.min((x + 1) * factor, clip.width()); sx++) {
            int at = frameStart + (sy * clip.width() + sx) * 3;
            for (int c = 0; c < 3; c++) {
              sum[c] += rgb[at + c] & 0xff;
            }
            count++;
          }
        }
        int out = (y * width + x) * 3;
        for (int c = 0; c < 3; c++) {
          bgr[out + 2 - c] = (byte) ((sum[c] + count / 2) / count);
        }
      }
    }
    return image;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
