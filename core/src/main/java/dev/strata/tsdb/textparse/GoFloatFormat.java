package dev.strata.tsdb.textparse;

/**
 * Formats doubles exactly as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}, which is also what
 * {@code fmt}'s {@code %g} and {@code %v} print: the form {@code promtool tsdb dump} uses for
 * sample values, so Strata's dump must match it character for character.
 *
 * <p>The digits are the shortest decimal that reads back as the same double (Go's parser and Java's
 * both round half to even); among the shortest, the one nearest the exact binary value, and on an
 * exact tie the one with an even last digit. The layout is Go's {@code %g}: exponent form when the
 * decimal exponent is below -4 or at least 6 ({@code 1e+06}, {@code 1.5e-05}, two or more exponent
 * digits), plain decimal otherwise ({@code 123456.7}, {@code 0.0001}); {@code NaN}, {@code +Inf},
 * {@code -Inf}, and {@code -0} for negative zero.
 *
 * <p>A dump prints millions of values, so the digits come from {@link ShortestDecimal} in integer
 * arithmetic rather than from Java's {@link Double#toString}, which before JDK 19 is not always
 * shortest, and nothing is allocated beyond what the output itself needs.
 */
public final class GoFloatFormat {

  private static final long EXPONENT_MASK = 0x7ffL << 52; // all ones: NaN or infinite
  private static final double TWO_TO_53 = 0x1p53;

  /** Prefix of plain values below 1: "0." and up to three zeros (the exponent is at least -4). */
  private static final String SMALL_PREFIX = "0.000";

  private GoFloatFormat() {}

  /** {@code v} as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} prints it. */
  public static String format(double v) {
    return append(new StringBuilder(24), v).toString();
  }

  /** Appends {@code v} as {@link #format} prints it and returns {@code out}. */
  public static StringBuilder append(StringBuilder out, double v) {
    long bits = Double.doubleToRawLongBits(v);
    if ((bits & EXPONENT_MASK) == EXPONENT_MASK) {
      return out.append(v != v ? "NaN" : v > 0 ? "+Inf" : "-Inf");
    }
    if (bits < 0) {
      out.append('-');
      bits &= Long.MAX_VALUE;
      v = -v;
    }
    if (v < TWO_TO_53) {
      long n = (long) v;
      if (n == v) {
        // Neighbours of an integer below 2^53 are at most one apart: its own digits, zeros off.
        return n == 0 ? out.append('0') : layout(out, n, 0);
      }
    }
    return layout(out, ShortestDecimal.significand(bits), ShortestDecimal.exponent(bits));
  }

  /** Go's {@code %g} layout of {@code f·10^e}, {@code f > 0}. */
  private static StringBuilder layout(StringBuilder out, long f, int e) {
    for (long div = f / 10; div * 10 == f; div = f / 10) {
      f = div;
      e++;
    }
    int start = out.length();
    out.append(f);
    int digits = out.length() - start;
    int exp = digits + e - 1; // of the first digit
    if (exp < -4 || exp >= 6) {
      if (digits > 1) {
        out.insert(start + 1, '.');
      }
      out.append('e').append(exp < 0 ? '-' : '+');
      int abs = Math.abs(exp);
      if (abs < 10) {
        out.append('0');
      }
      return out.append(abs);
    }
    if (exp < 0) {
      return out.insert(start, SMALL_PREFIX, 0, 1 - exp);
    }
    if (exp + 1 < digits) {
      return out.insert(start + exp + 1, '.');
    }
    for (int i = digits; i <= exp; i++) {
      out.append('0');
    }
    return out;
  }
}
