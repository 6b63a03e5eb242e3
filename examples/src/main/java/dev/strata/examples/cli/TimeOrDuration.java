package dev.strata.examples.cli;

import dev.strata.promql.parser.Durations;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time as Thanos's {@code --min-time}/{@code --max-time} take it: an RFC 3339 time
 * ({@code 2026-01-01T00:00:00Z}) or a duration before now ({@code -2w}, {@code -36h}), which is
 * resolved each time it is used, so a long-running server's window moves with the clock.
 *
 * @param text as given, for messages
 * @param absoluteMs the time, when absolute
 * @param agoMs how long before now, when relative
 */
public record TimeOrDuration(String text, long absoluteMs, long agoMs, boolean relative) {

  /** Thanos's default {@code --min-time}: the earliest time RFC 3339 can write. */
  public static final String EARLIEST = "0000-01-01T00:00:00Z";

  /** Thanos's default {@code --max-time}. */
  public static final String LATEST = "9999-12-31T23:59:59Z";

  /** The time in milliseconds since the epoch, {@code nowMs} being now. */
  public long resolve(long nowMs) {
    return relative ? nowMs - agoMs : absoluteMs;
  }

  /** Parses {@code text}; a clear message naming both accepted forms otherwise. */
  public static TimeOrDuration parse(String text) {
    String t = text.strip();
    if (t.startsWith("-")) {
      try {
        return new TimeOrDuration(text, 0, Durations.parse(t.substring(1)), true);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + text + "' is neither an RFC 3339 time nor a"
            + " duration before now such as -2w: " + e.getMessage());
      }
    }
    try {
      Instant at = OffsetDateTime.parse(t).toInstant();
      return new TimeOrDuration(text, at.toEpochMilli(), 0, false);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is neither an RFC 3339 time such as"
          + " 2026-01-01T00:00:00Z nor a duration before now such as -2w");
    }
  }

  @Override
  public String toString() {
    return text;
  }

  /** picocli's side of {@link #parse}. */
  public static final class Converter implements ITypeConverter<TimeOrDuration> {
    @Override
    public TimeOrDuration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
