package magicvideo.models.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import magicvideo.models.io.ModelDirectory;
import org.junit.Test;

public class CaptionSensitivityTest {
  /**
   * The shipped keyframe U-Net reads the colour word: a wrong colour costs far more than the
   * right caption at a mid-schedule timestep, and the empty prompt costs more too.
   */
  @Test
  public void theShippedModelPredictsWorseUnderAWrongColourWord() throws Exception {
    List<CaptionSensitivity.Row> rows = CaptionSensitivity.measure(ModelDirectory.open(ShippedDemoModelTest.SHIPPED),
        new int[] {500}, 4, 1);
    assertEquals(1, rows.size());
    CaptionSensitivity.Row r = rows.get(0);
    String seen = r.toString();
    assertTrue(seen, r.right() > 0 && Double.isFinite(r.directionSwapped()));
    assertTrue(seen, r.colourSwapped() > 1.5 * r.right());
    assertTrue(seen, r.empty() > 1.1 * r.right());
  }

  /**
   * The text encoder is causal, so the distance is measured at the changed word itself: a colour
   * word sits at token 2 of "a red circle moving left", a direction word at token 5; the shipped
   * encoder keeps colours well apart.
   */
  @Test
  public void wordDistancesAreMeasuredAtTheChangedWord() throws Exception {
    List<CaptionSensitivity.WordDistance> d =
        CaptionSensitivity.wordDistances(ModelDirectory.open(ShippedDemoModelTest.SHIPPED));
    assertEquals("direction", d.get(0).word());
    assertEquals("colour", d.get(1).word());
    assertEquals(5, d.get(0).token());
    assertEquals(2, d.get(1).token());
    assertTrue(d.toString(), d.get(1).atWord() > 0.3 && d.get(1).after() > 0.3);
    assertTrue(d.toString(), d.get(0).atWord() > 0 && d.get(0).after() > 0);
  }
}
