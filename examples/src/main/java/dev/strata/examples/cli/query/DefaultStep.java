package dev.strata.examples.cli.query;

import dev.strata.promql.api.ApiRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Thanos's step for a range query that gives none: a 250th of the range in whole seconds, at least
 * {@code --query.default-step}. Prometheus's API requires a step; this fills it in before the API
 * sees the request. A request whose range cannot be read is left alone, for the API to reject.
 */
final class DefaultStep implements UnaryOperator<ApiRequest> {
  private final long minimumMs;

  DefaultStep(long minimumMs) {
    this.minimumMs = minimumMs;
  }

  @Override
  public ApiRequest apply(ApiRequest r) {
    if (!r.path().endsWith("/query_range") || !isEmpty(r.param("step"))
        || isEmpty(r.param("start")) || isEmpty(r.param("end"))) {
      return r;
    }
    long stepMs;
    try {
      long rangeSeconds = (time(r.param("end")) - time(r.param("start"))) / 1000;
      stepMs = Math.max(rangeSeconds / 250 * 1000, minimumMs);
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      return r;
    }
    Map<String, List<String>> params = new LinkedHashMap<>(r.params());
    params.put("step", List.of(Double.toString(stepMs / 1000.0)));
    return new ApiRequest(r.method(), r.path(), params);
  }

  /** Unix seconds (with a fraction) or RFC 3339, as the API takes them, in milliseconds. */
  private static long time(String text) {
    try {
      return Math.round(Double.parseDouble(text) * 1000);
    } catch (NumberFormatException notANumber) {
      return Instant.parse(text).toEpochMilli();
    }
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
