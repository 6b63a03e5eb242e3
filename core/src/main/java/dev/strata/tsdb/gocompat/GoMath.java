package dev.strata.tsdb.gocompat;

/**
 * Go's {@code math.Max} and {@code math.Min}, whose special cases differ from Java's: an infinity
 * of the winning sign beats NaN ({@code Max(+Inf, NaN)} is {@code +Inf}, where Java says NaN).
 */
public final class GoMath {
  private GoMath() {}

  public static double max(double x, double y) {
    if (x == Double.POSITIVE_INFINITY || y == Double.POSITIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.max(x, y); // NaN wins, and +0 beats -0, as in Go
  }

  public static double min(double x, double y) {
    if (x == Double.NEGATIVE_INFINITY || y == Double.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    return Math.min(x, y);
  }
}
