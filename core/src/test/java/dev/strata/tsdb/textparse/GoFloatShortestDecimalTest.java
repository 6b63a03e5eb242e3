package dev.strata.tsdb.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The fixed-point logarithms and the table of powers of ten that {@link ShortestDecimal} relies on,
 * checked exactly over every exponent a double can have (and some margin).
 */
class GoFloatShortestDecimalTest {

  @Test
  void floorLog10Pow2IsExact() {
    for (int q = -1100; q <= 1100; q++) {
      assertEquals(floorLog10(BigInteger.ONE, q), ShortestDecimal.floorLog10Pow2(q), "q=" + q);
    }
  }

  @Test
  void floorLog10ThreeQuartersPow2IsExact() {
    for (int q = -1100; q <= 1100; q++) {
      // 3/4·2^q = 3·2^(q-2)
      assertEquals(
          floorLog10(BigInteger.valueOf(3), q - 2),
          ShortestDecimal.floorLog10ThreeQuartersPow2(q),
          "q=" + q);
    }
  }

  @Test
  void floorLog2Pow10IsExact() {
    for (int e = -400; e <= 400; e++) {
      // 10^-n lies strictly between -b and -b + 1 in log2, b the bit length of 10^n (n > 0).
      int expected =
          e >= 0 ? BigInteger.TEN.pow(e).bitLength() - 1 : -BigInteger.TEN.pow(-e).bitLength();
      assertEquals(expected, ShortestDecimal.floorLog2Pow10(e), "e=" + e);
    }
  }

  @Test
  void tableHoldsPowersOfTenRoundedUpTo126Bits() {
    for (int e = ShortestDecimal.E_MIN; e <= ShortestDecimal.E_MAX; e++) {
      long g1 = ShortestDecimal.g1(e);
      long g0 = ShortestDecimal.g0(e);
      assertTrue(g1 >= 1L << 62 && g0 >= 0, "e=" + e);
      BigInteger g = BigInteger.valueOf(g1).shiftLeft(63).add(BigInteger.valueOf(g0));
      int r = ShortestDecimal.floorLog2Pow10(e) - 125;
      assertTrue(compareWithPowerOfTen(g.subtract(BigInteger.ONE), r, e) <= 0, "e=" + e);
      assertTrue(compareWithPowerOfTen(g, r, e) > 0, "e=" + e);
    }
  }

  @Test
  void scaledSignificandsStayBelow2To63() {
    // With cb < 2^55, h in [2, 5] keeps cb << h a non-negative long, as the products need.
    for (int q = -1074; q <= 971; q++) {
      int regular = ShortestDecimal.floorLog10Pow2(q);
      for (int k : new int[] {regular, ShortestDecimal.floorLog10ThreeQuartersPow2(q)}) {
        int h = q + ShortestDecimal.floorLog2Pow10(-k) + 2;
        assertTrue(h >= 2 && h <= 5, "q=" + q + " h=" + h);
        assertTrue(-k >= ShortestDecimal.E_MIN && -k <= ShortestDecimal.E_MAX, "q=" + q);
      }
    }
  }

  /** floor(log10(m·2^q)) for m > 0. */
  private static int floorLog10(BigInteger m, int q) {
    BigInteger num = q >= 0 ? m.shiftLeft(q) : m;
    BigInteger den = q >= 0 ? BigInteger.ONE : BigInteger.ONE.shiftLeft(-q);
    // largest k with 10^k <= num/den
    int k = (int) Math.floor((num.bitLength() - den.bitLength()) * Math.log10(2)) - 2;
    while (compare(num, den, k + 1) >= 0) {
      k++;
    }
    while (compare(num, den, k) < 0) {
      k--;
    }
    return k;
  }

  /** Sign of num/den - 10^k. */
  private static int compare(BigInteger num, BigInteger den, int k) {
    return k >= 0
        ? num.compareTo(den.multiply(BigInteger.TEN.pow(k)))
        : num.multiply(BigInteger.TEN.pow(-k)).compareTo(den);
  }

  /** Sign of {@code x·2^r - 10^e}. */
  private static int compareWithPowerOfTen(BigInteger x, int r, int e) {
    BigInteger left = x.shiftLeft(Math.max(r, 0)).multiply(BigInteger.TEN.pow(Math.max(-e, 0)));
    BigInteger right = BigInteger.TEN.pow(Math.max(e, 0)).shiftLeft(Math.max(-r, 0));
    return left.compareTo(right);
  }
}
