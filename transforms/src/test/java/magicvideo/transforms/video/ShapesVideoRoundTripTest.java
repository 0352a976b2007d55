package magicvideo.transforms.video;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import magicvideo.models.VideoFrames;
import magicvideo.models.shapes.Caption;
import magicvideo.models.shapes.ClipAnalysis;
import magicvideo.models.shapes.Direction;
import magicvideo.models.shapes.ShapesWorld;
import org.junit.Test;

/**
 * The shapes analysis reads clips back from the files the pipeline writes: H.264's 4:2:0 chroma
 * and quantisation, and VP9's, change colours and soften edges, but not the verdicts. Here rather
 * than in models/, because the encoder is javacv's.
 */
public class ShapesVideoRoundTripTest {
  private static final double FPS = 8;

  @Test
  public void everyCaptionSurvivesMp4AtKeyframeSize() {
    SplittableRandom random = new SplittableRandom(41);
    for (Caption caption : ShapesWorld.allCaptions()) {
      checkRoundTrip(caption, 16, 32, VideoFormat.MP4, random);
    }
  }

  @Test
  public void everyPairSurvivesMp4AtOutputSize() {
    SplittableRandom random = new SplittableRandom(42);
    for (Caption caption : onePerPair()) {
      checkRoundTrip(caption, 61, 128, VideoFormat.MP4, random);
    }
  }

  @Test
  public void everyPairSurvivesWebmAtKeyframeSize() {
    SplittableRandom random = new SplittableRandom(43);
    for (Caption caption : onePerPair()) {
      checkRoundTrip(caption, 16, 32, VideoFormat.WEBM, random);
    }
  }

  private static void checkRoundTrip(Caption caption, int frames, int size, VideoFormat format,
      SplittableRandom random) {
    ShapesWorld.Motion motion = ShapesWorld.sample(caption, random);
    VideoFrames decoded = VideoProbe.decode(
        VideoEncoder.encode(ShapesWorld.render(motion, frames, size, FPS), format));
    ClipAnalysis.Result result = ClipAnalysis.analyse(decoded);
    String where = caption + " from (" + motion.startX() + ", " + motion.startY() + ") at " + size
        + " px through " + format + ": " + result.measures();
    assertEquals(where, caption.colour(), result.colour());
    assertEquals(where, caption.shape(), result.shape());
    assertEquals(where, caption.direction(), result.direction());
    assertEquals(where, frames, result.framesWithShape());
    assertTrue(where, result.measures().colourDistance() < 0.15);
  }

  /** Each colour and shape pair once, the directions taking turns: 21 captions. */
  private static List<Caption> onePerPair() {
    List<Caption> all = ShapesWorld.allCaptions();
    int directions = Direction.values().length;
    return IntStream.range(0, all.size() / directions)
        .mapToObj(pair -> all.get(pair * directions + pair % directions))
        .toList();
  }
}
