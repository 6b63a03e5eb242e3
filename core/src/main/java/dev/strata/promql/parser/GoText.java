package dev.strata.promql.parser;

import dev.strata.tsdb.labels.GoQuote;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The few Go formatting rules that show in PromQL's printed expressions and error messages: {@code
 * %v} of a float, {@code %f}, {@code %q} of a rune, {@code %#U}, and {@code %.10q}.
 */
final class GoText {
  private GoText() {}

  /**
   * {@code fmt.Sprint(f)}, Go's {@code %g} with the shortest digits that read back exactly: exponent
   * form ({@code 1e+06}, {@code 1.5e-07}) when the decimal exponent is below -4 or at least 6.
   */
  static String formatFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return (1 / f < 0) ? "-0" : "0";
    }
    BigDecimal shortest = shortestDecimal(Math.abs(f));
    String digits = shortest.unscaledValue().toString();
    int exponent = digits.length() - 1 - shortest.scale();
    StringBuilder out = new StringBuilder();
    if (f < 0) {
      out.append('-');
    }
    if (exponent < -4 || exponent >= 6) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        out.append('0');
      }
      out.append(abs);
    } else {
      out.append(shortest.toPlainString());
    }
    return out.toString();
  }

  /**
   * The decimal with the fewest significant digits that reads back as {@code f}. Java 17's {@code
   * Double.toString} is not always the shortest, so the digits are searched for directly.
   */
  private static BigDecimal shortestDecimal(double f) {
    BigDecimal exact = new BigDecimal(f);
    for (int precision = 1; precision < 17; precision++) {
      BigDecimal candidate = exact.round(new java.math.MathContext(precision));
      if (candidate.doubleValue() == f) {
        return candidate.stripTrailingZeros();
      }
    }
    return exact.round(new java.math.MathContext(17)).stripTrailingZeros();
  }

  /** {@code fmt.Sprintf("%f", f)}: six decimals, {@code +Inf}, {@code -Inf}, {@code NaN}. */
  static String formatFixed6(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    return new BigDecimal(f).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }

  /** {@code fmt.Sprintf("%q", r)} for a rune: single quotes, Go's escapes. */
  static String quoteRune(int codePoint) {
    if (codePoint == '\'') {
      return "'\\''";
    }
    if (codePoint == '"') {
      return "'\"'";
    }
    String quoted = GoQuote.quote(new String(Character.toChars(codePoint)));
    return "'" + quoted.substring(1, quoted.length() - 1) + "'";
  }

  /** {@code fmt.Sprintf("%#U", r)}: {@code U+0063 'c'}, the character left out when unprintable. */
  static String describeRune(int codePoint) {
    String hex = String.format(Locale.ROOT, "U+%04X", codePoint);
    return GoQuote.isPrint(codePoint)
        ? hex + " '" + new String(Character.toChars(codePoint)) + "'"
        : hex;
  }

  /** {@code fmt.Sprintf("%.10q", s)}: the first ten characters, quoted. */
  static String quoteTruncated(String s, int maxCodePoints) {
    int end = s.offsetByCodePoints(0, Math.min(maxCodePoints, s.codePointCount(0, s.length())));
    return GoQuote.quote(s.substring(0, end));
  }
}
