package dev.strata.tsdb.textparse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * An oracle for {@link GoFloatFormat} that shares nothing with it: the rounding interval of the
 * double is built from exact {@link BigDecimal} expansions of it and its neighbours, the shortest
 * decimals in it are searched for length by length, and the layout comes from BigDecimal's own
 * strings. Slow (tens of microseconds) but obviously right.
 */
final class ExactGoFloat {

  private static final BigDecimal HALF = new BigDecimal("0.5");

  /** Where doubles would continue past the largest finite one. */
  private static final BigDecimal TWO_TO_1024 = new BigDecimal(BigInteger.ONE.shiftLeft(1024));

  private ExactGoFloat() {}

  /** Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}. */
  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    String sign = Double.doubleToRawLongBits(v) < 0 ? "-" : "";
    double abs = Math.abs(v);
    return abs == 0 ? sign + "0" : sign + goLayout(shortestNearest(abs));
  }

  /**
   * Among the decimals that read back as {@code v > 0} (round half to even), the shortest; of those
   * the nearest to {@code v}; on a tie the one whose last digit is even.
   */
  static BigDecimal shortestNearest(double v) {
    BigDecimal exact = new BigDecimal(v);
    BigDecimal below = new BigDecimal(Math.nextDown(v));
    BigDecimal above = v == Double.MAX_VALUE ? TWO_TO_1024 : new BigDecimal(Math.nextUp(v));
    Interval r =
        new Interval(
            exact.add(below).multiply(HALF),
            exact.add(above).multiply(HALF),
            (Double.doubleToRawLongBits(v) & 1) == 0);
    // Lengths that have a decimal in the interval are all those from the shortest on: search.
    int lo = 1;
    int hi = 17;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (r.contains(round(exact, mid, RoundingMode.FLOOR))
          || r.contains(round(exact, mid, RoundingMode.CEILING))) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    BigDecimal down = round(exact, lo, RoundingMode.FLOOR);
    BigDecimal up = round(exact, lo, RoundingMode.CEILING);
    boolean downIn = r.contains(down);
    boolean upIn = r.contains(up);
    if (!upIn || down.compareTo(up) == 0) {
      return down;
    }
    if (!downIn) {
      return up;
    }
    int c = exact.subtract(down).compareTo(up.subtract(exact));
    if (c != 0) {
      return c < 0 ? down : up;
    }
    BigInteger steps = down.divideToIntegralValue(up.subtract(down)).toBigIntegerExact();
    return steps.testBit(0) ? up : down;
  }

  private static BigDecimal round(BigDecimal exact, int digits, RoundingMode mode) {
    return exact.round(new MathContext(digits, mode));
  }

  /** Go's {@code %g} for precision -1: exponent form when the exponent is below -4 or over 5. */
  static String goLayout(BigDecimal d) {
    d = d.stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - d.scale() - 1;
    if (exp < -4 || exp >= 6) {
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return String.format("%se%s%02d", mantissa, exp < 0 ? "-" : "+", Math.abs(exp));
    }
    return d.toPlainString();
  }

  private record Interval(BigDecimal low, BigDecimal high, boolean closed) {
    boolean contains(BigDecimal d) {
      int l = d.compareTo(low);
      int h = d.compareTo(high);
      return closed ? l >= 0 && h <= 0 : l > 0 && h < 0;
    }
  }
}
