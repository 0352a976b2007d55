package magicvideo.pipeline.bench;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class FlagsTest {
  @Test
  public void laterFlagsReplaceEarlierOnesInPlace() {
    Flags merged = Flags.of("--steps=2", "--keyframes=4").overriddenBy(Flags.of("--steps=10", "--runner=FlinkRunner"));

    // Beam refuses a flag given twice: each name must appear once, with the later value
    assertArrayEquals(new String[] {"--steps=10", "--keyframes=4", "--runner=FlinkRunner"}, merged.toArgs());
  }

  @Test
  public void withoutRemovesABenchmarkFlagBeforeTheJobSeesIt() {
    Flags flags = Flags.of("--videos=8", "--steps=2");

    assertEquals(8, flags.intValue("videos", 24));
    assertArrayEquals(new String[] {"--steps=2"}, flags.without("videos").toArgs());
    assertEquals(24, flags.without("videos").intValue("videos", 24));
    assertEquals("all", flags.value("cases", "all"));
    assertEquals("overhead", Flags.of("--cases=overhead").value("cases", "all"));
  }

  @Test
  public void valuesMayContainEqualsSigns() {
    assertArrayEquals(new String[] {"--accelerator=type:l4;count=1"},
        Flags.of("--accelerator=type:l4;count=1").toArgs());
  }

  @Test
  public void malformedFlagsAreRefusedWithTheirText() {
    IllegalArgumentException noValue = assertThrows(IllegalArgumentException.class, () -> Flags.of("--videos"));
    assertTrue(noValue.getMessage(), noValue.getMessage().contains("'--videos'"));
    assertThrows(IllegalArgumentException.class, () -> Flags.of("videos=3"));
    IllegalArgumentException notANumber =
        assertThrows(IllegalArgumentException.class, () -> Flags.of("--videos=many").intValue("videos", 1));
    assertTrue(notANumber.getMessage(), notANumber.getMessage().contains("--videos must be an integer, got 'many'"));
  }
}
