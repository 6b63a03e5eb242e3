package dev.strata.tsdb.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link GoFloatFormat} and {@link GoFloatParse} over all kinds of doubles: what is
 * printed reads back, is as short as possible and is the nearest of the shortest.
 */
class GoFloatPropertiesTest {

  @Provide
  Arbitrary<Double> anyDouble() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(Double::longBitsToDouble),
        Arbitraries.doubles(),
        Arbitraries.longs().between(0, 1L << 20).map(Double::longBitsToDouble),
        Arbitraries.integers().between(-1_000_000, 1_000_000).map(i -> i / 1000.0),
        Arbitraries.of(
            0.0, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 0x1p53, 0x1p52 + 1));
  }

  @Property(tries = 3000)
  void formattedValuesReadBack(@ForAll("anyDouble") double v) throws Exception {
    String s = GoFloatFormat.format(v);
    if (Double.isNaN(v)) {
      assertEquals("NaN", s);
      return;
    }
    assertEquals(
        Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(GoFloatParse.parse(s)), s);
  }

  @Property(tries = 3000)
  void formattedDigitsAreShortestAndNearest(@ForAll("anyDouble") double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return;
    }
    double abs = Math.abs(v);
    BigDecimal printed = new BigDecimal(GoFloatFormat.format(abs).replace("e+", "e"));
    int length = printed.stripTrailingZeros().precision();
    BigDecimal exact = new BigDecimal(abs);
    if (length > 1) {
      for (RoundingMode m : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal shorter = exact.round(new MathContext(length - 1, m));
        assertTrue(
            Double.parseDouble(shorter.toString()) != abs,
            () -> shorter + " is shorter than " + printed + " and reads back as " + abs);
      }
    }
    for (RoundingMode m : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
      BigDecimal other = exact.round(new MathContext(length, m));
      if (Double.parseDouble(other.toString()) == abs) {
        int c = other.subtract(exact).abs().compareTo(printed.subtract(exact).abs());
        assertTrue(c >= 0, () -> other + " is nearer to " + exact + " than " + printed);
      }
    }
  }

  @Property(tries = 3000)
  void parsesExactDecimalsLikeJava(@ForAll("anyDouble") double v) throws Exception {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return;
    }
    String exact = new BigDecimal(v).toString();
    assertEquals(v, GoFloatParse.parse(exact), exact);
    String plain = new BigDecimal(v).round(new MathContext(12)).toPlainString();
    assertEquals(Double.parseDouble(plain), GoFloatParse.parse(plain), plain);
  }
}
