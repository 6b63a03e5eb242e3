package dev.strata.examples.cli.tsdb;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Instants as Go's {@code time.Time.String()} prints a UTC time with whole seconds, {@code
 * 2023-11-14 22:13:20 +0000 UTC}: the human-readable form of promtool's block tables.
 */
final class GoTime {
  private GoTime() {}

  /** The UTC time {@code epochSeconds} after the epoch, in Go's default layout. */
  static String utc(long epochSeconds) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(32);
    int year = t.getYear();
    if (year < 0) {
      sb.append('-');
      year = -year;
    }
    pad(sb, year, 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append(' ');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2);
    return sb.append(" +0000 UTC").toString();
  }

  /**
   * The seconds promtool shows for a millisecond timestamp: Go's integer division, which
   * truncates towards zero as Java's does.
   */
  static String utcOfMillis(long millis) {
    return utc(millis / 1000);
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(digits);
  }
}
