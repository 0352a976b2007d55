package magicvideo.models.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class Float16Test {

  /** Pairs of (float, half bits) from the IEEE 754 binary16 definition. */
  private static final Object[][] EXACT = {
      {0f, 0x0000}, {-0f, 0x8000}, {1f, 0x3c00}, {-2f, 0xc000}, {0.5f, 0x3800},
      {65504f, 0x7bff}, {0x1p-14f, 0x0400}, {0x1p-24f, 0x0001}, {0x3ffp-24f, 0x03ff},
      {Float.POSITIVE_INFINITY, 0x7c00}, {Float.NEGATIVE_INFINITY, 0xfc00},
  };

  @Test
  public void exactValuesConvertBothWays() {
    for (Object[] pair : EXACT) {
      float f = (Float) pair[0];
      short h = (short) (int) (Integer) pair[1];
      assertEquals("bits of " + f, h, Float16.fromFloat(f));
      assertEquals("value of 0x" + Integer.toHexString(h & 0xffff),
          Float.floatToIntBits(f), Float.floatToIntBits(Float16.toFloat(h)));
    }
  }

  @Test
  public void roundsToNearestEven() {
    assertEquals((short) 0x2e66, Float16.fromFloat(0.1f)); // 0.0999755859375
    // 1 + 2^-11 is halfway between 1 and the next half: ties go to the even mantissa (1).
    assertEquals((short) 0x3c00, Float16.fromFloat(1f + 0x1p-11f));
    // 1 + 3 * 2^-11 is halfway between odd 0x3c01 and even 0x3c02.
    assertEquals((short) 0x3c02, Float16.fromFloat(1f + 3 * 0x1p-11f));
    // Halfway between 65504 and 65536 rounds up to infinity, just below stays finite.
    assertEquals((short) 0x7c00, Float16.fromFloat(65520f));
    assertEquals((short) 0x7bff, Float16.fromFloat(65519f));
    // Subnormal halves: 2^-25 is a tie between 0 and the smallest subnormal, goes to 0.
    assertEquals((short) 0x0000, Float16.fromFloat(0x1p-25f));
    assertEquals((short) 0x0001, Float16.fromFloat(0x1.8p-25f));
    assertEquals((short) 0x0000, Float16.fromFloat(Float.MIN_VALUE));
  }

  @Test
  public void everyHalfSurvivesARoundTrip() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = Float16.toFloat((short) bits);
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))));
      } else {
        assertEquals("0x" + Integer.toHexString(bits), (short) bits, Float16.fromFloat(f));
      }
    }
  }
}
