package dev.strata.promql.parser;

import dev.strata.tsdb.labels.GoQuote;
import java.math.BigInteger;

/**
 * The value of a NUMBER token, read as Prometheus reads it: first as a Go integer literal with its
 * base taken from the prefix ({@code 0x1f}, {@code 017} octal), and failing that as a Go float
 * ({@code 1.5e3}, {@code .5}, {@code Inf}, {@code NaN}). The lexer has already limited the token to
 * digits, hex digits, one dot, an exponent, or the words Inf and NaN.
 */
final class NumberSyntax {
  private NumberSyntax() {}

  /** Thrown with Go's message, e.g. {@code strconv.ParseFloat: parsing "0x": invalid syntax}. */
  static final class InvalidNumber extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidNumber(String text, String reason) {
      super("strconv.ParseFloat: parsing " + GoQuote.quote(text) + ": " + reason);
    }
  }

  static double parse(String text) throws InvalidNumber {
    Long asInteger = parseInteger(text);
    return asInteger != null ? asInteger.doubleValue() : parseFloat(text);
  }

  /** Go's {@code strconv.ParseInt(text, 0, 64)}, or null where it fails. */
  private static Long parseInteger(String text) {
    int radix = 10;
    String digits = text;
    if (text.length() > 1 && text.charAt(0) == '0') {
      char second = Character.toLowerCase(text.charAt(1));
      if (second == 'x') {
        radix = 16;
        digits = text.substring(2);
      } else {
        radix = 8;
        digits = text.substring(1);
      }
    }
    if (digits.isEmpty()) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), radix) < 0) {
        return null;
      }
    }
    BigInteger value = new BigInteger(digits, radix);
    return value.bitLength() < 64 ? value.longValue() : null;
  }

  /** Go's {@code strconv.ParseFloat(text, 64)} for the decimal forms the lexer lets through. */
  private static double parseFloat(String text) throws InvalidNumber {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    switch (lower) {
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        break;
    }
    if (!isDecimalFloat(text)) {
      throw new InvalidNumber(text, "invalid syntax");
    }
    double value = Double.parseDouble(text);
    if (Double.isInfinite(value)) {
      throw new InvalidNumber(text, "value out of range");
    }
    return value;
  }

  /** digits [. digits] [e [+-] digits], with at least one mantissa digit; no hex floats. */
  private static boolean isDecimalFloat(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int mantissaDigits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      mantissaDigits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        mantissaDigits++;
      }
    }
    if (mantissaDigits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exponentDigits = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
