package dev.strata.tier.prometheus;

import dev.strata.promql.parser.AtModifier;
import dev.strata.promql.parser.PositionRange;
import dev.strata.promql.parser.Printer;
import dev.strata.promql.parser.VectorSelector;
import dev.strata.tsdb.labels.LabelMatcher;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Parameters of Prometheus's HTTP API as Prometheus 2.42 parses them. */
final class ApiParams {

  /**
   * The earliest and latest times the API accepts, in milliseconds: its own defaults for an
   * absent {@code start} and {@code end} (Go's {@code time.Unix(math.MinInt64/1000 + 62135596801,
   * 0)} and the mirror of it). A time beyond them would overflow when Prometheus converts it back
   * to milliseconds.
   */
  static final long MIN_TIME = -9_223_309_901_257_974_000L;

  static final long MAX_TIME = 9_223_309_901_257_974_000L;

  private ApiParams() {}

  /**
   * A timestamp as the API's {@code start}/{@code end}: seconds with the milliseconds as a
   * fraction, e.g. {@code 1700000000.123}, clamped to what the API accepts.
   */
  static String time(long ms) {
    long clamped = Math.max(MIN_TIME, Math.min(MAX_TIME, ms));
    return BigDecimal.valueOf(clamped, 3).toPlainString();
  }

  /**
   * The matchers as one PromQL series selector, e.g. {@code {__name__="up",job=~"api|db"}}, as
   * the API's {@code match[]} takes it; printed as Strata's PromQL printer prints a selector.
   *
   * @throws IllegalArgumentException without matchers: there is no empty selector
   */
  static String selector(List<LabelMatcher> matchers) {
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("a series selector needs at least one matcher");
    }
    return Printer.print(
        new VectorSelector(null, matchers, 0, AtModifier.NONE, PositionRange.NONE));
  }

  /** Name/value pairs as an {@code application/x-www-form-urlencoded} body or query string. */
  static String form(List<Map.Entry<String, String>> params) {
    return params.stream()
        .map(p -> encode(p.getKey()) + "=" + encode(p.getValue()))
        .collect(Collectors.joining("&"));
  }

  /** One path segment, percent-encoded (a label name in {@code /api/v1/label/<name>/values}). */
  static String pathSegment(String segment) {
    // URLEncoder encodes for forms; a path wants %20 for a space rather than '+'.
    return encode(segment).replace("+", "%20");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
