package dev.strata.promql.api;

import dev.strata.promql.parser.Durations;
import dev.strata.promql.parser.PromqlParseException;
import dev.strata.promql.parser.PromqlParser;
import dev.strata.tsdb.labels.GoQuote;
import dev.strata.tsdb.labels.LabelMatcher;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The parameter parsing of Prometheus's API ({@code parseTime}, {@code parseDuration}, {@code match[]}). */
final class ApiParams {
  /** Prometheus's earliest and latest times, the defaults of {@code start} and {@code end}. */
  static final long MIN_TIME_MS = (Long.MIN_VALUE / 1000 + 62_135_596_801L) * 1000;
  static final long MAX_TIME_MS = (Long.MAX_VALUE / 1000 - 62_135_596_801L) * 1000 + 999;
  private static final String MIN_TIME_TEXT = "-292273086-05-16T16:47:06Z";
  private static final String MAX_TIME_TEXT = "292277025-08-18T07:12:54.999999999Z";

  private ApiParams() {}

  /** A parameter that does not parse; the message is the cause, without the parameter's name. */
  static final class BadParameter extends Exception {
    final String parameter;

    BadParameter(String parameter, String message) {
      super(message);
      this.parameter = parameter;
    }
  }

  /** Unix seconds (fraction rounded to the millisecond) or RFC 3339, as {@code parseTime}. */
  static long time(String parameter, String text) throws BadParameter {
    double seconds = goParseFloat(text);
    if (!Double.isNaN(seconds) && !Double.isInfinite(seconds)) {
      double whole = seconds < 0 ? Math.ceil(seconds) : Math.floor(seconds);
      double ms = (seconds - whole) * 1000; // Go's math.Round: halves away from zero
      double fraction = Math.copySign(Math.round(Math.abs(ms)), ms) / 1000.0;
      return (long) whole * 1000 + (long) (fraction * 1000);
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return t.toEpochSecond() * 1000 + t.getNano() / 1_000_000;
    } catch (DateTimeParseException e) {
      // the boundary times below, or not a time
    }
    if (text.equals(MIN_TIME_TEXT)) {
      return MIN_TIME_MS;
    }
    if (text.equals(MAX_TIME_TEXT)) {
      return MAX_TIME_MS;
    }
    throw new BadParameter(parameter, "cannot parse " + GoQuote.quote(text) + " to a valid timestamp");
  }

  /** An optional time parameter ({@code parseTimeParam}), with Prometheus's wording. */
  static long timeParam(ApiRequest request, String parameter, long defaultMs) throws BadParameter {
    String text = request.param(parameter);
    if (text == null || text.isEmpty()) {
      return defaultMs;
    }
    try {
      return time(parameter, text);
    } catch (BadParameter e) {
      throw new BadParameter(parameter, "Invalid time value for '" + parameter + "': " + e.getMessage());
    }
  }

  /** Float seconds or a Prometheus duration, in nanoseconds, as {@code parseDuration}. */
  static long durationNanos(String parameter, String text) throws BadParameter {
    double seconds = goParseFloat(text);
    if (!Double.isNaN(seconds) || isNaNText(text)) {
      double ns = seconds * 1e9;
      if (Double.isNaN(ns) || ns > 9.223372036854775807e18 || ns < -9.223372036854775808e18) {
        throw new BadParameter(parameter,
            "cannot parse " + GoQuote.quote(text) + " to a valid duration. It overflows int64");
      }
      return (long) ns;
    }
    try {
      return Math.multiplyExact(Durations.parse(text), 1_000_000L);
    } catch (RuntimeException e) {
      throw new BadParameter(parameter, "cannot parse " + GoQuote.quote(text) + " to a valid duration");
    }
  }

  /** Every {@code match[]} selector; each must have a matcher that rejects the empty value. */
  static List<List<LabelMatcher>> matchers(List<String> selectors) throws BadParameter {
    List<List<LabelMatcher>> sets = new ArrayList<>(selectors.size());
    for (String s : selectors) {
      try {
        sets.add(PromqlParser.parseMetricSelector(s));
      } catch (PromqlParseException e) {
        throw new BadParameter("match[]", e.getMessage());
      }
    }
    for (List<LabelMatcher> set : sets) {
      if (set.stream().allMatch(m -> m.matches(""))) {
        throw new BadParameter("match[]", "match[] must contain at least one non-empty matcher");
      }
    }
    return sets;
  }

  // Go's strconv.ParseFloat, as far as a time or duration parameter needs it: NaN for what it
  // rejects, which Java's parser would accept (a type suffix, spaces, "Infinity" spelled mixed).
  private static double goParseFloat(String text) {
    if (text == null || text.isEmpty() || !text.strip().equals(text)) {
      return Double.NaN;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    char last = lower.charAt(lower.length() - 1);
    if (last == 'd' || last == 'f' || unsigned.startsWith("0x") || unsigned.contains("n")) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static boolean isNaNText(String text) {
    String t = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
    return t.equalsIgnoreCase("nan");
  }
}
