package dev.strata.examples.promql;

/** Sample values as the HTTP API writes them (Go float text, with NaN, +Inf and -Inf). */
final class GoSampleValue {
  private static final double RELATIVE_TOLERANCE = 1e-9;

  private GoSampleValue() {}

  static double parse(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /**
   * Equal within a relative 1e-9 (evaluation order may differ in the last bits); NaN equals NaN,
   * infinities only themselves.
   */
  static boolean close(String expected, String actual) {
    if (expected.equals(actual)) {
      return true;
    }
    double a = parse(expected);
    double b = parse(actual);
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b);
    }
    if (Double.isInfinite(a) || Double.isInfinite(b)) {
      return a == b;
    }
    return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }
}
