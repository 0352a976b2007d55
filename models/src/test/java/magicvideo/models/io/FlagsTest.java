package magicvideo.models.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.Test;

/** The tools' shared command line. */
public class FlagsTest {
  private static final List<String> KNOWN = List.of("model", "steps", "lr", "fresh", "stages");

  private static String refusal(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> {
      Flags f = Flags.parse(args, KNOWN, Set.of("fresh"), "usage: tool --model=DIR");
      f.intValue("steps", 1);
      f.doubleValue("lr", 1);
      f.booleanValue("fresh", false);
      f.required("model");
    }).getMessage();
  }

  @Test
  public void valuesAreTypedAndAbsentOnesFallBack() {
    Flags f = Flags.parse(new String[] {"--model=m", "--steps=30", "--lr=3e-4", "--fresh", "--stages="}, KNOWN,
        Set.of("fresh"), null);
    assertEquals("m", f.required("model"));
    assertEquals(30, f.intValue("steps", 1));
    assertEquals(30L, f.longValue("steps", 1));
    assertEquals(3e-4, f.doubleValue("lr", 1), 0);
    assertEquals(3e-4f, f.floatValue("lr", 1), 0);
    assertTrue(f.booleanValue("fresh", false));
    assertEquals("", f.get("stages", "keyframes")); // given empty: not the fallback
    Flags none = Flags.parse(new String[0], KNOWN, null);
    assertFalse(none.has("steps"));
    assertEquals(7, none.intValue("steps", 7));
    assertEquals("keyframes", none.get("stages", "keyframes"));
  }

  @Test
  public void mistakesAreRefusedNamingTheFlag() {
    assertEquals("unknown argument '--stpes=3'; usage: tool --model=DIR", refusal("--model=m", "--stpes=3"));
    assertEquals("unknown argument 'model=m'; usage: tool --model=DIR", refusal("model=m"));
    assertEquals("--steps needs a value: --steps=...", refusal("--model=m", "--steps"));
    assertEquals("--steps is given twice", refusal("--model=m", "--steps=1", "--steps=2"));
    assertEquals("--steps takes an integer, got '1.5'", refusal("--model=m", "--steps=1.5"));
    assertEquals("--steps takes an integer, got '4294967296'", refusal("--model=m", "--steps=4294967296"));
    assertEquals("--lr takes a number, got 'fast'", refusal("--model=m", "--lr=fast"));
    assertEquals("--lr takes a number, got 'NaN'", refusal("--model=m", "--lr=NaN"));
    assertEquals("--fresh takes true or false, got 'yes'", refusal("--model=m", "--fresh=yes"));
    assertEquals("--model is required", refusal("--steps=2"));
    assertEquals("--model is required", refusal("--model="));
  }
}
