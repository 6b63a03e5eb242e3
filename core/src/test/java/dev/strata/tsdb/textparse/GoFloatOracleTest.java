package dev.strata.tsdb.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link GoFloatFormat} against {@link ExactGoFloat}, which finds the digits by exact interval
 * arithmetic, over doubles of every kind: random bit patterns, subnormals, powers of two (where the
 * interval is lopsided) and of ten, ties between two shortest candidates, decimals exactly halfway
 * between two doubles, and integers below and beyond 2^53. The sweeps are exhaustive where the
 * method has edges: every power of two, every small subnormal.
 */
class GoFloatOracleTest {

  @Provide
  Arbitrary<Double> everyKind() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(Double::longBitsToDouble),
        Arbitraries.longs().between(0, (1L << 52) - 1).map(Double::longBitsToDouble),
        Arbitraries.doubles(),
        Combinators.combine(
                Arbitraries.integers().between(-324, 308), Arbitraries.integers().between(-3, 3))
            .as((e, ulps) -> ulpsAway(Double.parseDouble("1e" + e), ulps)),
        Combinators.combine(
                Arbitraries.integers().between(-1074, 1023), Arbitraries.integers().between(-3, 3))
            .as((q, ulps) -> ulpsAway(Math.scalb(1.0, q), ulps)),
        fewFractionBits(),
        Arbitraries.longs().map(GoFloatOracleTest::halfwayBetweenNeighbours),
        Arbitraries.longs().between(0, 1L << 53).map(n -> (double) n),
        Arbitraries.longs().map(n -> (double) n),
        Arbitraries.integers().between(-1_000_000, 1_000_000).map(i -> i / 1000.0));
  }

  /**
   * 53-bit integers with up to eight fraction bits: 15 to 17 digits whose exact expansion often
   * ends in a 5 just past the shortest length, so that two shortest candidates are equally near.
   */
  private static Arbitrary<Double> fewFractionBits() {
    return Combinators.combine(
            Arbitraries.longs().between(1L << 52, (1L << 53) - 1),
            Arbitraries.integers().between(-8, 0))
        .as((m, s) -> Math.scalb((double) m, s));
  }

  @Property(tries = 20_000)
  void matchesTheExactOracle(@ForAll("everyKind") double v) {
    assertEquals(ExactGoFloat.format(v), GoFloatFormat.format(v), () -> describe(v));
  }

  @Property(tries = 2_000)
  void matchesTheFormerImplementation(@ForAll("everyKind") double v) {
    assertEquals(ReadBackGoFloat.format(v), GoFloatFormat.format(v), () -> describe(v));
  }

  @Property(tries = 2_000)
  void appendsAfterWhatIsThere(@ForAll("everyKind") double v) {
    String prefix = "µ-π=";
    assertEquals(
        prefix + GoFloatFormat.format(v),
        GoFloatFormat.append(new StringBuilder(prefix), v).toString(),
        () -> describe(v));
    assertEquals(
        "x" + GoFloatFormat.format(v),
        GoFloatFormat.append(new StringBuilder(1).append('x'), v).toString(),
        () -> describe(v));
  }

  @Test
  void randomBitPatterns() {
    SplittableRandom r = new SplittableRandom(0x5eed);
    for (int i = 0; i < 100_000; i++) {
      check(Double.longBitsToDouble(r.nextLong()));
    }
  }

  @Test
  void everyPowerOfTwoAndItsNeighbours() {
    for (int q = -1074; q <= 1023; q++) {
      double p = Math.scalb(1.0, q);
      for (int ulps = -2; ulps <= 2; ulps++) {
        check(ulpsAway(p, ulps));
      }
    }
  }

  @Test
  void powersOfTenTimesEachDigitAndTheirNeighbours() {
    for (int e = -324; e <= 308; e++) {
      for (int d = 1; d <= 9; d++) {
        double p = Double.parseDouble(d + "e" + e);
        for (int ulps = -1; ulps <= 1; ulps++) {
          check(ulpsAway(p, ulps));
        }
      }
    }
  }

  @Test
  void smallestAndLargestSubnormals() {
    for (long c = 1; c <= 20_000; c++) {
      check(Double.longBitsToDouble(c));
      check(Double.longBitsToDouble((1L << 52) - c));
    }
  }

  @Test
  void tiesBetweenTwoShortestCandidates() {
    // Between 2^49 and 2^51 the exact value ends one digit past 17 significant ones, in a 5 for
    // these fractions, and both 17-digit neighbours read back.
    for (int i = 0; i < 5_000; i++) {
      check(0x1p50 + i * 7919 + 0.25);
      check(0x1p50 + i * 7919 + 0.75);
      check(0x1p49 + i * 7919 + 0.125);
      check(0x1p49 + i * 7919 + 0.625);
    }
  }

  @Test
  void integersAroundTwoTo53() {
    for (long n = (1L << 53) - 5_000; n <= (1L << 53) + 5_000; n++) {
      check((double) n);
    }
    for (long n = 1; n < Long.MAX_VALUE / 3; n = n * 3 + 1) {
      check((double) n);
      check((double) n * 1e10);
    }
  }

  private static void check(double v) {
    assertEquals(ExactGoFloat.format(v), GoFloatFormat.format(v), () -> describe(v));
    assertEquals(ExactGoFloat.format(-v), GoFloatFormat.format(-v), () -> describe(-v));
  }

  /** The decimal exactly halfway from a double to the next, read back: rounds half to even. */
  private static double halfwayBetweenNeighbours(long bits) {
    double v = Math.abs(Double.longBitsToDouble(bits));
    if (!(v < Double.MAX_VALUE)) {
      return v;
    }
    BigDecimal mid =
        new BigDecimal(v).add(new BigDecimal(Math.nextUp(v))).multiply(new BigDecimal("0.5"));
    return Double.parseDouble(mid.toString());
  }

  private static double ulpsAway(double v, int ulps) {
    for (; ulps < 0; ulps++) {
      v = Math.nextDown(v);
    }
    for (; ulps > 0; ulps--) {
      v = Math.nextUp(v);
    }
    return v;
  }

  private static String describe(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "bits 0x" + Long.toHexString(Double.doubleToRawLongBits(v));
    }
    return "bits 0x" + Long.toHexString(Double.doubleToRawLongBits(v)) + " = " + new BigDecimal(v);
  }
}
