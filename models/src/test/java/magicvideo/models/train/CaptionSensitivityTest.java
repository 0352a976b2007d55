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
}
