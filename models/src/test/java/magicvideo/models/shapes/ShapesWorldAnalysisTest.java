package magicvideo.models.shapes;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.SplittableRandom;
import magicvideo.models.VideoFrames;
import org.junit.Test;

/**
 * The world generator draws what the caption says, as the analysis that {@code eval} uses reads
 * it: every caption, several random starts, at the keyframes' 32 px x 16 frames and the output's
 * 128 px x 61 frames.
 */
public class ShapesWorldAnalysisTest {
  private static final double FPS = 8;

  @Test
  public void everyCaptionAtKeyframeSize() {
    checkEveryCaption(16, 32, 3, new SplittableRandom(11));
  }

  @Test
  public void everyCaptionAtOutputSize() {
    checkEveryCaption(61, 128, 2, new SplittableRandom(12));
  }

  private static void checkEveryCaption(int frames, int size, int starts, SplittableRandom random) {
    assertEquals(84, ShapesWorld.allCaptions().size());
    for (Caption caption : ShapesWorld.allCaptions()) {
      for (int s = 0; s < starts; s++) {
        ShapesWorld.Motion motion = ShapesWorld.sample(caption, random);
        VideoFrames clip = ShapesWorld.render(motion, frames, size, FPS);
        String where = caption + " from (" + motion.startX() + ", " + motion.startY() + ") at "
            + size + " px";
        ClipAnalysis.Result result = ClipAnalysis.analyse(clip);

        assertEquals(where, caption.colour(), result.colour());
        assertEquals(where, caption.shape(), result.shape());
        assertEquals(where, caption.direction(), result.direction());
        assertFullyInsideOnEveryFrame(result, caption.shape(), where);
        assertTravelsHalfTheFrame(result.measures().path(), caption.direction(), where);
        // a clean render is steady: its only frame-to-frame change is the renderer's
        // supersampling of the moving edges
        assertTrue(where, result.measures().areaFlicker() < 0.04);
        assertTrue(where, result.measures().colourFlicker() < 0.005);
        assertTrue(where, result.measures().colourDistance() < 0.01);
      }
    }
  }

  /**
   * Every frame shows the shape's whole area, to within the renderer's supersampling: a shape cut
   * by the frame's edge would lose area.
   */
  private static void assertFullyInsideOnEveryFrame(ClipAnalysis.Result result, ShapeKind shape,
      String where) {
    double side = ShapesWorld.SHAPE_SIZE;
    double full = switch (shape) {
      case SQUARE -> side * side;
      case CIRCLE -> Math.PI * side * side / 4;
      case TRIANGLE -> side * side / 2;
    };
    assertEquals(where, result.frames(), result.framesWithShape());
    for (int f = 0; f < result.frames(); f++) {
      FrameShape frame = result.perFrame().get(f);
      assertEquals(where + ", area of frame " + f, full, frame.area(), 0.03 * full);
    }
  }

  private static void assertTravelsHalfTheFrame(PathFit path, Direction direction, String where) {
    assertEquals(where, direction.dx() * ShapesWorld.TRAVEL, path.dx(), 0.01);
    assertEquals(where, direction.dy() * ShapesWorld.TRAVEL, path.dy(), 0.01);
    // constant speed on a straight line: centroids within a fraction of a pixel of the fit
    assertTrue(where + ": path rms " + path.rms(), path.rms() < 0.003);
  }
}
