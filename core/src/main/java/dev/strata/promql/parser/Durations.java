package dev.strata.promql.parser;

/**
 * Prometheus's duration strings ({@code 1h30m}, {@code 5m}, {@code 1y}, {@code 250ms}): parsing as
 * its {@code model.ParseDuration} does and formatting as {@code model.Duration.String()}.
 *
 * <p>Units, largest first and each at most once: {@code y} (365 days), {@code w}, {@code d}, {@code
 * h}, {@code m}, {@code s}, {@code ms}. A bare {@code 0} is zero. Prometheus keeps durations as Go
 * {@code time.Duration} nanoseconds, so anything beyond about 292 years is out of range; that limit
 * is kept here although the result is in milliseconds.
 */
public final class Durations {
  private static final long MS_PER_SECOND = 1000;
  private static final long MS_PER_MINUTE = 60 * MS_PER_SECOND;
  private static final long MS_PER_HOUR = 60 * MS_PER_MINUTE;
  private static final long MS_PER_DAY = 24 * MS_PER_HOUR;
  private static final long MS_PER_WEEK = 7 * MS_PER_DAY;
  private static final long MS_PER_YEAR = 365 * MS_PER_DAY;
  private static final long NANOS_PER_MS = 1_000_000;

  /** The units in the order they must appear, with their length in milliseconds. */
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};

  private static final long[] UNIT_MS = {
    MS_PER_YEAR, MS_PER_WEEK, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, 1
  };

  private Durations() {}

  /**
   * The duration in milliseconds.
   *
   * @throws IllegalArgumentException with Prometheus's message ({@code not a valid duration string:
   *     "5x"}, {@code empty duration string}, {@code duration out of range})
   */
  public static long parse(String text) {
    if (text.equals("0")) {
      return 0;
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    long totalNanos = 0;
    boolean outOfRange = false;
    int pos = 0;
    int nextUnit = 0;
    while (pos < text.length()) {
      int digitsEnd = pos;
      while (digitsEnd < text.length() && isDigit(text.charAt(digitsEnd))) {
        digitsEnd++;
      }
      int unit = digitsEnd == pos ? -1 : unitAt(text, digitsEnd, nextUnit);
      if (unit < 0) {
        throw invalid(text);
      }
      long n = parseClamped(text, pos, digitsEnd);
      // Go checks each term against the int64 nanosecond range, then the running sum for wrap-around.
      if (n > Long.MAX_VALUE / UNIT_MS[unit] / NANOS_PER_MS) {
        outOfRange = true;
      }
      totalNanos += n * NANOS_PER_MS * UNIT_MS[unit];
      if (totalNanos < 0) {
        outOfRange = true;
      }
      pos = digitsEnd + UNITS[unit].length();
      nextUnit = unit + 1;
    }
    if (outOfRange) {
      throw new IllegalArgumentException("duration out of range");
    }
    return totalNanos / NANOS_PER_MS;
  }

  /**
   * As Prometheus prints a duration: {@code 1h30m}, {@code 5m}, {@code 1d}, {@code 2w}, {@code 1y},
   * {@code 0s}. Years and weeks are used only when they divide the whole duration; negative values
   * are not expected (Prometheus prints the sign itself before calling this).
   */
  public static String format(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long rest = ms;
    for (int i = 0; i < UNITS.length; i++) {
      boolean onlyIfExact = i < 2;
      if (onlyIfExact && rest % UNIT_MS[i] != 0) {
        continue;
      }
      long count = rest / UNIT_MS[i];
      if (count > 0) {
        out.append(count).append(UNITS[i]);
        rest -= count * UNIT_MS[i];
      }
    }
    return out.toString();
  }

  /** Index of the unit starting at {@code pos}, if it is allowed at this point, else -1. */
  private static int unitAt(String text, int pos, int firstAllowed) {
    for (int i = UNITS.length - 1; i >= firstAllowed; i--) {
      // "ms" is checked before "m"; a unit must be followed by a digit or the end.
      if (text.startsWith(UNITS[i], pos)) {
        int after = pos + UNITS[i].length();
        if (after == text.length() || isDigit(text.charAt(after))) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The digits as a number; like Go's Atoi, too many digits give the largest value. */
  private static long parseClamped(String text, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      int d = text.charAt(i) - '0';
      if (n > (Long.MAX_VALUE - d) / 10) {
        return Long.MAX_VALUE;
      }
      n = n * 10 + d;
    }
    return n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "not a valid duration string: " + dev.strata.tsdb.labels.GoQuote.quote(text));
  }
}
