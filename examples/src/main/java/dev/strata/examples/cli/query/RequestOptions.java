package dev.strata.examples.cli.query;

import dev.strata.promql.QueryException;
import dev.strata.promql.QueryOptions;
import dev.strata.promql.api.ApiRequest;
import dev.strata.promql.parser.Durations;
import dev.strata.tier.query.DynamicLookback;
import dev.strata.tier.query.ProxyRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The options of one request to {@code strata query}, from Thanos's extra HTTP parameters over the
 * command's defaults: {@code dedup} (true), {@code partial_response} ({@code
 * --query.partial-response}), {@code replicaLabels[]} (replacing {@code --query.replica-label}),
 * and {@code max_source_resolution} ({@code auto}: a fifth of the step of a range query; a
 * duration or a number of seconds; absent: raw data, or {@code auto} with {@code
 * --query.auto-downsampling}). A bad value is a {@code bad_data} error (HTTP 400).
 *
 * <p>A query's lookback is {@code lookback_delta} when given (and positive), else the one its
 * {@code max_source_resolution} implies ({@link DynamicLookback}), as Thanos v0.34 picks it.
 *
 * @param replicaLabels {@code --query.replica-label}
 * @param partialResponse {@code --query.partial-response}
 * @param autoDownsampling {@code --query.auto-downsampling}
 * @param lookback {@code --query.lookback-delta} and {@code --query.dynamic-lookback-delta}
 */
record RequestOptions(List<String> replicaLabels, boolean partialResponse,
    boolean autoDownsampling, DynamicLookback lookback) {

  RequestOptions {
    replicaLabels = List.copyOf(replicaLabels);
    Objects.requireNonNull(lookback, "lookback");
  }

  /** What a request that says nothing asks of the stores. */
  ProxyRequest defaults() {
    return of(new ApiRequest("GET", "", Map.of()));
  }

  /** What {@code request} asks of the stores. */
  ProxyRequest of(ApiRequest request) {
    List<String> labels = request.params("replicaLabels[]").stream()
        .filter(l -> !l.isEmpty()).toList();
    return ProxyRequest.DEFAULTS
        .withReplicaLabels((labels.isEmpty() ? replicaLabels : labels).toArray(String[]::new))
        .withDedup(bool(request, "dedup", true))
        .withPartialResponse(bool(request, "partial_response", partialResponse))
        .withMaxResolutionWindow(maxResolutionWindow(request));
  }

  /** The engine's settings for the query {@code request} asks for. */
  QueryOptions queryOptions(ApiRequest request) {
    String given = request.param("lookback_delta");
    long millis = given == null || given.isEmpty() ? 0 : seconds("lookback_delta", given);
    // Thanos takes only a positive lookback from the request; otherwise the flags' choice.
    Duration lookbackDelta = millis > 0 ? Duration.ofMillis(millis)
        : lookback.forMaxSourceResolution(maxResolutionWindow(request));
    return new QueryOptions(lookbackDelta);
  }

  private long maxResolutionWindow(ApiRequest request) {
    String value = request.param("max_source_resolution");
    long millis = 0;
    if (autoDownsampling || "auto".equals(value)) {
      // Instant queries have no step: Thanos's hidden default for them is raw data (0s).
      String step = request.path().endsWith("/query_range") ? request.param("step") : null;
      millis = step == null ? 0 : seconds("step", step) / 5;
    } else if (value != null && !value.isEmpty()) {
      millis = seconds("max_source_resolution", value);
    }
    if (millis < 0) {
      throw badData("negative max_source_resolution is not accepted. Try a positive integer");
    }
    return millis;
  }

  /** A duration ({@code 5m}) or a number of seconds ({@code 300}, {@code 0.5}), in milliseconds. */
  static long seconds(String parameter, String value) {
    try {
      double s = Double.parseDouble(value);
      if (Double.isFinite(s)) {
        return Math.round(s * 1000);
      }
    } catch (NumberFormatException notANumber) {
      // A duration, then.
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw badData("cannot parse parameter " + parameter + ": \"" + value
          + "\" is neither a duration nor a number of seconds");
    }
  }

  // Go's strconv.ParseBool, which Thanos uses.
  private static boolean bool(ApiRequest request, String name, boolean otherwise) {
    String value = request.param(name);
    if (value == null || value.isEmpty()) {
      return otherwise;
    }
    switch (value) {
      case "1": case "t": case "T": case "true": case "TRUE": case "True":
        return true;
      case "0": case "f": case "F": case "false": case "FALSE": case "False":
        return false;
      default:
        throw badData("cannot parse parameter " + name + ": \"" + value + "\" is not a boolean");
    }
  }

  private static QueryException badData(String message) {
    return new QueryException(QueryException.ErrorType.BAD_DATA, message);
  }
}
