package dev.strata.tsdb.textparse;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The first {@link GoFloatFormat}, kept as a second oracle: it was checked against promtool's own
 * output, and it gets its digits by reading candidates back with {@link Double#parseDouble} rather
 * than by interval arithmetic, so it fails differently from {@link ExactGoFloat}. Microseconds per
 * value.
 *
 * <p>Java 17's {@link Double#toString} is not always shortest or nearest, so its digits serve only
 * as an upper bound on the length; each candidate is checked by reading it back, and the final
 * choice between the two candidates around the exact value is made exactly.
 */
final class ReadBackGoFloat {

  private static final double TWO_TO_53 = 0x1p53;

  private ReadBackGoFloat() {}

  /** {@code v} as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} prints it. */
  static String format(double v) {
    return append(new StringBuilder(24), v).toString();
  }

  /** Appends {@code v} as {@link #format} prints it and returns {@code out}. */
  static StringBuilder append(StringBuilder out, double v) {
    if (Double.isNaN(v)) {
      return out.append("NaN");
    }
    if (Double.isInfinite(v)) {
      return out.append(v > 0 ? "+Inf" : "-Inf");
    }
    if (Double.doubleToRawLongBits(v) < 0) {
      out.append('-');
      v = -v;
    }
    if (v == 0) {
      return out.append('0');
    }
    if (v < TWO_TO_53 && v == Math.rint(v)) {
      // Neighbours of an integer below 2^53 are at most one apart, so only trailing zeros can go.
      String s = Long.toString((long) v);
      int nd = s.length();
      while (s.charAt(nd - 1) == '0') {
        nd--;
      }
      return layout(out, s, nd, s.length());
    }
    BigDecimal d = shortest(v);
    String digits = d.unscaledValue().toString();
    int nd = digits.length();
    while (nd > 1 && digits.charAt(nd - 1) == '0') {
      nd--;
    }
    return layout(out, digits, nd, digits.length() - d.scale());
  }

  // The shortest decimal that reads back as v (> 0, finite), nearest to v among those.
  private static BigDecimal shortest(double v) {
    BigDecimal javaDigits = new BigDecimal(Double.toString(v));
    int length = javaDigits.stripTrailingZeros().precision();
    if (Double.parseDouble(javaDigits.toString()) != v) {
      length = 17; // never seen, but 17 digits always identify a double
    }
    BigDecimal exact = new BigDecimal(v);
    // Some decimal of length p reads back as v iff the p-digit decimals just below or just above
    // v does: the set of such decimals is an interval around v. Shorter ones exist only if these
    // do, so walking down from a length known to work finds the shortest.
    while (length > 1 && existsOfLength(exact, v, length - 1)) {
      length--;
    }
    MathContext nearest = new MathContext(length, RoundingMode.HALF_EVEN);
    BigDecimal candidate = exact.round(nearest);
    if (readsBackAs(candidate, v)) {
      return candidate;
    }
    // The interval is lopsided at a power of two: the nearest decimal may fall out on the narrow
    // side while the one on the other side of v is still in.
    RoundingMode other = candidate.compareTo(exact) > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING;
    return exact.round(new MathContext(length, other));
  }

  private static boolean existsOfLength(BigDecimal exact, double v, int length) {
    BigDecimal below = exact.round(new MathContext(length, RoundingMode.FLOOR));
    if (readsBackAs(below, v)) {
      return true;
    }
    return readsBackAs(exact.round(new MathContext(length, RoundingMode.CEILING)), v);
  }

  private static boolean readsBackAs(BigDecimal d, double v) {
    return Double.parseDouble(d.toString()) == v;
  }

  // Go's %g layout of the digits d[0..nd) with the decimal point after dp digits.
  private static StringBuilder layout(StringBuilder out, String d, int nd, int dp) {
    int exp = dp - 1;
    if (exp < -4 || exp >= 6) {
      out.append(d.charAt(0));
      if (nd > 1) {
        out.append('.').append(d, 1, nd);
      }
      out.append('e').append(exp < 0 ? '-' : '+');
      int abs = Math.abs(exp);
      if (abs < 10) {
        out.append('0');
      }
      return out.append(abs);
    }
    if (dp > 0) {
      for (int i = 0; i < dp; i++) {
        out.append(i < nd ? d.charAt(i) : '0');
      }
    } else {
      out.append('0');
    }
    if (nd > dp) {
      out.append('.');
      for (int i = dp; i < nd; i++) {
        out.append(i < 0 ? '0' : d.charAt(i));
      }
    }
    return out;
  }
}
