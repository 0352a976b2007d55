package magicvideo.transforms.hints;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHint;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.junit.Test;

public class GpuHintsTest {
  private static final String L4 = "type:nvidia-l4;count:1;install-nvidia-driver";

  @Test
  public void anAcceleratorBecomesBeamsAcceleratorHint() {
    ResourceHints hints = GpuHints.forAccelerator(" " + L4 + " ");

    assertEquals(1, hints.hints().size());
    ResourceHint hint = hints.hints().values().iterator().next();
    assertEquals(L4, new String(hint.toBytes(), StandardCharsets.US_ASCII));
  }

  @Test
  public void noAcceleratorGivesNoHints() {
    assertTrue(GpuHints.forAccelerator(null).hints().isEmpty());
    assertTrue(GpuHints.forAccelerator("  ").hints().isEmpty());
  }

  @Test
  public void malformedAcceleratorsAreNamed() {
    assertEquals(List.of(), GpuHints.problems(L4));
    assertEquals(List.of(), GpuHints.problems(null));
    assertThat(GpuHints.problems("nvidia-l4").get(0), containsString("must start with type:"));
    assertThat(
        GpuHints.problems("type:nvidia-l4;count:0").get(0),
        containsString("count must be a whole number >= 1, got '0'"));
    assertThat(GpuHints.problems("type:nvidia-l4;;count:1").get(0), containsString("empty part"));
  }
}
