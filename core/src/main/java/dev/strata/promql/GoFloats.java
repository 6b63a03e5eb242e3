package dev.strata.promql;

import java.math.BigDecimal;

/** Go's float parsing and formatting where PromQL exposes them. */
final class GoFloats {
  private GoFloats() {}

  /**
   * Go's {@code strconv.ParseFloat(s, 64)} for the forms label values use: decimal and hexadecimal
   * floats, {@code Inf}/{@code Infinity} with optional sign, {@code NaN}, any case. Returns NaN for
   * text that does not parse; tell a real NaN apart with {@link #isNaNLiteral}.
   */
  static double parseFloat(String s) {
    if (s == null || s.isEmpty()) {
      return Double.NaN;
    }
    String body = s;
    boolean negative = false;
    if (body.charAt(0) == '+' || body.charAt(0) == '-') {
      negative = body.charAt(0) == '-';
      body = body.substring(1);
    }
    String lower = body.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (body.isEmpty()
        || lower.contains("infinity")
        || lower.contains("nan")
        || lower.endsWith("d")
        || lower.endsWith("f")) {
      return Double.NaN; // forms Java would accept and Go would not
    }
    if (lower.indexOf('_') >= 0) {
      if (!(lower.startsWith("0x") || lower.startsWith("0b") || lower.startsWith("0o"))) {
        return Double.NaN;
      }
      body = body.replace("_", "");
      lower = lower.replace("_", "");
    }
    try {
      if (lower.startsWith("0x")) {
        String hex = lower.contains("p") ? body : body + "p0";
        double v = Double.parseDouble(hex);
        return negative ? -v : v;
      }
      double v = Double.parseDouble(body);
      return negative ? -v : v;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  static boolean isNaNLiteral(String s) {
    if (s == null) {
      return false;
    }
    String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    return t.equalsIgnoreCase("nan");
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest round-trip digits, no exponent. */
  static String formatPlain(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    return s;
  }
}
