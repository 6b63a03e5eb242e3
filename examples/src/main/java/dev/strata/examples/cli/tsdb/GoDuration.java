package dev.strata.examples.cli.tsdb;

/**
 * Go's {@code time.Duration}: its {@code String()} form, which promtool prints for block
 * durations ({@code 2h0m0s}, {@code 45m15.001s}, {@code 1.5ms}), and {@code time.ParseDuration},
 * which reads promtool's duration flags. Written out here because the tools must print and accept
 * exactly what promtool does, and Java's {@link java.time.Duration} uses ISO-8601 instead.
 */
public final class GoDuration {
  static final long NANOSECOND = 1;
  static final long MICROSECOND = 1000 * NANOSECOND;
  public static final long MILLISECOND = 1000 * MICROSECOND;
  static final long SECOND = 1000 * MILLISECOND;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;

  private GoDuration() {}

  /** {@code nanos} as Go's {@code Duration.String()} prints it. */
  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder(24);
    if (nanos < 0) {
      sb.append('-');
    }
    // The magnitude as an unsigned number: Long.MIN_VALUE has no positive counterpart.
    long u = nanos < 0 ? -nanos : nanos;
    if (Long.compareUnsigned(u, SECOND) < 0) {
      if (u < MICROSECOND) {
        return sb.append(u).append("ns").toString();
      }
      if (u < MILLISECOND) {
        return appendFraction(sb, u, 3).append("\u00b5s").toString();
      }
      return appendFraction(sb, u, 6).append("ms").toString();
    }
    long fraction = Long.remainderUnsigned(u, SECOND);
    long secondsTotal = Long.divideUnsigned(u, SECOND);
    long seconds = secondsTotal % 60;
    long minutesTotal = secondsTotal / 60;
    if (minutesTotal > 0) {
      long hours = minutesTotal / 60;
      if (hours > 0) {
        sb.append(hours).append('h');
      }
      sb.append(minutesTotal % 60).append('m');
    }
    sb.append(seconds);
    appendTrimmedDigits(sb, fraction, 9);
    return sb.append('s').toString();
  }

  // u scaled down by 10^digits, with the fraction's trailing zeros (and a bare point) left out.
  private static StringBuilder appendFraction(StringBuilder sb, long u, int digits) {
    long scale = 1;
    for (int i = 0; i < digits; i++) {
      scale *= 10;
    }
    sb.append(u / scale);
    return appendTrimmedDigits(sb, u % scale, digits);
  }

  private static StringBuilder appendTrimmedDigits(StringBuilder sb, long fraction, int digits) {
    if (fraction == 0) {
      return sb;
    }
    char[] d = new char[digits];
    for (int i = digits - 1; i >= 0; i--) {
      d[i] = (char) ('0' + fraction % 10);
      fraction /= 10;
    }
    int end = digits;
    while (d[end - 1] == '0') {
      end--;
    }
    return sb.append('.').append(d, 0, end);
  }

  /**
   * Reads a duration as Go's {@code time.ParseDuration} does: a sign, then one or more decimal
   * numbers each with a unit ({@code ns}, {@code us}/{@code µs}, {@code ms}, {@code s}, {@code m},
   * {@code h}), such as {@code 24h} or {@code 1h30m}; a lone {@code 0} needs no unit.
   *
   * @return nanoseconds
   * @throws IllegalArgumentException with Go's message if {@code s} is not such a duration
   */
  public static long parse(String s) {
    String orig = s;
    boolean negative = false;
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    if (s.substring(i).equals("0")) {
      return 0;
    }
    if (i == s.length()) {
      throw invalid(orig);
    }
    long total = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!(c == '.' || (c >= '0' && c <= '9'))) {
        throw invalid(orig);
      }
      int start = i;
      long whole = 0;
      while (i < s.length() && isDigit(s.charAt(i))) {
        if (whole > (Long.MAX_VALUE - 9) / 10) {
          throw invalid(orig); // overflow
        }
        whole = whole * 10 + (s.charAt(i) - '0');
        i++;
      }
      boolean digitsBefore = i > start;
      long fraction = 0;
      double scale = 1;
      boolean digitsAfter = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fracStart = i;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
          if (!overflow) {
            if (fraction > (Long.MAX_VALUE - 9) / 10) {
              overflow = true; // further digits cannot matter
            } else {
              fraction = fraction * 10 + (s.charAt(i) - '0');
              scale *= 10;
            }
          }
          i++;
        }
        digitsAfter = i > fracStart;
      }
      if (!digitsBefore && !digitsAfter) {
        throw invalid(orig);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      if (unitStart == i) {
        throw new IllegalArgumentException("time: missing unit in duration " + quote(orig));
      }
      String unitName = s.substring(unitStart, i);
      long unit = unit(unitName);
      if (unit == 0) {
        throw new IllegalArgumentException(
            "time: unknown unit " + quote(unitName) + " in duration " + quote(orig));
      }
      if (whole > Long.MAX_VALUE / unit) {
        throw invalid(orig);
      }
      long v = whole * unit;
      if (fraction > 0) {
        v += (long) (fraction * ((double) unit / scale));
        if (v < 0) {
          throw invalid(orig);
        }
      }
      total += v;
      if (total < 0) {
        throw invalid(orig);
      }
    }
    return negative ? -total : total;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static long unit(String name) {
    return switch (name) {
      case "ns" -> NANOSECOND;
      case "us", "\u00b5s", "\u03bcs" -> MICROSECOND;
      case "ms" -> MILLISECOND;
      case "s" -> SECOND;
      case "m" -> MINUTE;
      case "h" -> HOUR;
      default -> 0;
    };
  }

  private static IllegalArgumentException invalid(String orig) {
    return new IllegalArgumentException("time: invalid duration " + quote(orig));
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
