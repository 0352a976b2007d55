package magicvideo.models.io;

/**
 * IEEE 754 binary16 conversions. Java 17 has no {@code Float.float16ToFloat} (it arrived in Java
 * 20), and safetensors checkpoints are commonly stored in F16, so we convert by hand.
 */
final class Float16 {

  private Float16() {}

  /** The float32 value of the half-precision bits {@code h} (exact: every half is a float). */
  static float toFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      // Infinity or NaN; keep the NaN payload in the high mantissa bits.
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: mantissa * 2^-24, exact in float32.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /**
   * The half-precision bits nearest to {@code f}, rounding ties to even as PyTorch's
   * {@code tensor.half()} does; values beyond the half range become infinity.
   */
  static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      // Infinity stays infinity; NaN stays a (quiet) NaN.
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
    }
    int halfExponent = exponent - 112;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) {
      // Subnormal half (or zero): shift the mantissa with its implicit bit into place.
      if (halfExponent < -10) {
        return (short) sign;
      }
      int full = mantissa | 0x800000;
      int shift = 14 - halfExponent;
      return (short) (sign | roundShiftRightEven(full, shift));
    }
    // Normal half; rounding may carry into the exponent, which is still the right result
    // (and turns 65520 and above into infinity).
    int value = (halfExponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (value & 1) == 1)) {
      value++;
    }
    return (short) (sign | value);
  }

  private static int roundShiftRightEven(int value, int shift) {
    int result = value >>> shift;
    int rest = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (rest > half || (rest == half && (result & 1) == 1)) {
      result++;
    }
    return result;
  }
}
