package dev.strata.tsdb.textparse;

/**
 * Parses numbers as Prometheus 2.42's text parsers do: Go's {@code strconv.ParseFloat(s, 64)},
 * after rejecting any {@code p}, {@code P} or {@code _} (so hexadecimal floats and digit
 * separators, which Go accepts since 1.13, are refused).
 *
 * <p>What remains is: an optional sign, digits with at most one decimal point and at least one
 * digit, an optional exponent ({@code e} or {@code E}, optional sign, at least one digit); or,
 * ignoring case, {@code inf} / {@code infinity} with an optional sign, or {@code nan} without one.
 * Results are correctly rounded (round half to even), underflow gives a signed zero and is
 * accepted, overflow is an error. Go stops accumulating exponent digits once the exponent reaches
 * 10000; that cap is reproduced so that absurdly long inputs round the same way.
 *
 * <p>{@link Double#parseDouble} is not used on the raw text because it accepts more (surrounding
 * whitespace, {@code Infinity} only in one spelling, hexadecimal, {@code d}/{@code f} suffixes); it
 * is used only on a normalized form of input already known to be valid, when the fast path below
 * cannot give the exact result.
 */
final class GoFloatParse {

  /** Go's {@code math.NaN()}, which {@code ParseFloat} returns: its bits end up in blocks. */
  static final double GO_NAN = Double.longBitsToDouble(0x7ff8000000000001L);

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  // Go's readFloat keeps adding exponent digits only while the exponent is below this.
  private static final int EXPONENT_CAP = 10000;

  private GoFloatParse() {}

  /** Why a number was refused; the parser turns it into a message with a position. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Parses {@code s} as a whole. */
  static double parse(String s) throws Invalid {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  /**
   * Parses bytes {@code [from, to)} of {@code b}.
   *
   * @throws Invalid with a short reason if Prometheus would refuse the text
   */
  static double parse(byte[] b, int from, int to) throws Invalid {
    if (from >= to) {
      throw new Invalid("not a number");
    }
    int i = from;
    boolean negative = false;
    int c = b[i];
    if (c == '+' || c == '-') {
      negative = c == '-';
      i++;
    }
    long mantissa = 0;
    int significant = 0; // digits counted into the mantissa, from the first non-zero one
    int fractionDigits = 0;
    boolean sawDigit = false;
    boolean sawDot = false;
    for (; i < to; i++) {
      c = b[i];
      if (c >= '0' && c <= '9') {
        sawDigit = true;
        if (sawDot) {
          fractionDigits++;
        }
        if (significant > 0 || c != '0') {
          significant++;
          if (significant <= 18) {
            mantissa = mantissa * 10 + (c - '0');
          }
        }
      } else if (c == '.' && !sawDot) {
        sawDot = true;
      } else {
        break;
      }
    }
    if (!sawDigit) {
      return special(b, from, to);
    }
    int exponent = 0;
    if (i < to && (b[i] | 0x20) == 'e') {
      i++;
      int sign = 1;
      if (i < to && (b[i] == '+' || b[i] == '-')) {
        sign = b[i] == '-' ? -1 : 1;
        i++;
      }
      if (i >= to || b[i] < '0' || b[i] > '9') {
        throw syntaxOrUnsupported(b, from, to);
      }
      int e = 0;
      for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
        if (e < EXPONENT_CAP) {
          e = e * 10 + (b[i] - '0');
        }
      }
      exponent = sign * e;
    }
    if (i != to) {
      throw syntaxOrUnsupported(b, from, to);
    }
    if (significant == 0) {
      return negative ? -0.0 : 0.0;
    }
    int scale = exponent - fractionDigits;
    if (significant <= 15 && scale >= -22 && scale <= 22) {
      // Mantissa and power of ten are exact doubles, so one operation rounds correctly.
      double m = negative ? -mantissa : mantissa;
      return scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
    }
    double v = Double.parseDouble(normalized(b, from, i, negative, scale));
    if (Double.isInfinite(v)) {
      throw new Invalid("out of the range of a 64-bit float");
    }
    return v;
  }

  // "-ddddEscale" from the digits of [from, end), so that Java's correctly rounded parser sees
  // exactly the decimal value Go computes.
  private static String normalized(byte[] b, int from, int end, boolean negative, int scale) {
    StringBuilder sb = new StringBuilder(end - from + 12);
    if (negative) {
      sb.append('-');
    }
    boolean leading = true;
    for (int i = from; i < end; i++) {
      int c = b[i];
      if (c == 'e' || c == 'E') {
        break;
      }
      if (c >= '0' && c <= '9' && !(leading && c == '0')) {
        leading = false;
        sb.append((char) c);
      }
    }
    return sb.append('E').append(scale).toString();
  }

  // Go's special values: [+-]inf, [+-]infinity (any case), nan (any case, no sign).
  private static double special(byte[] b, int from, int to) throws Invalid {
    int i = from;
    boolean negative = false;
    boolean signed = false;
    if (b[i] == '+' || b[i] == '-') {
      negative = b[i] == '-';
      signed = true;
      i++;
    }
    if (matchesIgnoringCase(b, i, to, "inf") || matchesIgnoringCase(b, i, to, "infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (!signed && matchesIgnoringCase(b, i, to, "nan")) {
      return GO_NAN;
    }
    throw syntaxOrUnsupported(b, from, to);
  }

  private static boolean matchesIgnoringCase(byte[] b, int from, int to, String word) {
    if (to - from != word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if ((b[from + k] | 0x20) != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  // Prometheus checks for these characters before calling Go, with its own message.
  private static Invalid syntaxOrUnsupported(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == 'p' || b[i] == 'P' || b[i] == '_') {
        return new Invalid(
            "'" + (char) b[i] + "' is not allowed in numbers (no hexadecimal floats or '_')");
      }
    }
    return new Invalid("not a number");
  }
}
