package dev.strata.examples.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.promql.QueryException;
import dev.strata.promql.api.ApiRequest;
import dev.strata.promql.QueryOptions;
import dev.strata.tier.query.DynamicLookback;
import dev.strata.tier.query.ProxyRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command's flags and the per-request options, without servers. */
class QueryOptionsTest {
  private static final DynamicLookback LOOKBACK = new DynamicLookback(Duration.ofMinutes(5), true);
  private static final RequestOptions OPTIONS =
      new RequestOptions(List.of("replica"), true, false, LOOKBACK);

  private static ApiRequest request(String path, String... params) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      map.computeIfAbsent(params[i], k -> new java.util.ArrayList<>()).add(params[i + 1]);
    }
    return new ApiRequest("GET", path, map);
  }

  @Test
  void flagsHaveThanosNamesAndDefaults() {
    QueryCommand defaults = new QueryCommand();
    new CommandLine(defaults).parseArgs();
    assertTrue(defaults.partialResponse());
    assertEquals(Duration.ofMinutes(2), defaults.promql.timeout());
    assertEquals(Duration.ofMinutes(5), defaults.promql.lookbackDelta());
    assertEquals(20, defaults.maxConcurrent);
    assertEquals(Duration.ofSeconds(1), defaults.defaultStep);
    assertEquals(Duration.ofMinutes(5), defaults.sdInterval);
    assertEquals(Duration.ofMinutes(5), defaults.unhealthyTimeout);
    assertEquals("0.0.0.0:10902", defaults.addresses.http().toString());

    QueryCommand c = new QueryCommand();
    new CommandLine(c).parseArgs("--endpoint=a:10901", "--store=b:10901",
        "--no-query.partial-response", "--query.replica-label=replica",
        "--query.replica-label=rule_replica", "--query.auto-downsampling");
    assertEquals(List.of("a:10901", "b:10901"), c.endpoints);
    assertFalse(c.partialResponse());
    QueryCommand again = new QueryCommand();
    new CommandLine(again).parseArgs("--no-query.partial-response", "--query.partial-response");
    assertTrue(again.partialResponse());
    assertEquals(List.of("replica", "rule_replica"), c.replicaLabels);
    assertTrue(c.autoDownsampling);
  }

  @Test
  void requestParametersOverTheDefaults() {
    ProxyRequest none = OPTIONS.of(request("/api/v1/query"));
    assertEquals(List.of("replica"), none.withoutReplicaLabels());
    assertTrue(none.partialResponse());
    assertEquals(0, none.maxResolutionWindow());

    ProxyRequest r = OPTIONS.of(request("/api/v1/query", "dedup", "false",
        "partial_response", "0", "replicaLabels[]", "a", "replicaLabels[]", "b"));
    assertEquals(List.of("a", "b"), r.replicaLabels());
    assertEquals(List.of(), r.withoutReplicaLabels());
    assertFalse(r.partialResponse());
  }

  @Test
  void maxSourceResolution() {
    assertEquals(300_000, OPTIONS.of(request("/api/v1/query", "max_source_resolution", "5m"))
        .maxResolutionWindow());
    assertEquals(3_600_000, OPTIONS.of(request("/api/v1/query", "max_source_resolution", "3600"))
        .maxResolutionWindow());
    assertEquals(0, OPTIONS.of(request("/api/v1/query", "max_source_resolution", "0s"))
        .maxResolutionWindow());
    assertEquals(60_000, OPTIONS.of(request("/api/v1/query_range", "max_source_resolution", "auto",
        "step", "5m")).maxResolutionWindow());
    assertEquals(0, OPTIONS.of(request("/api/v1/query", "max_source_resolution", "auto"))
        .maxResolutionWindow());
    assertEquals(12_000, new RequestOptions(List.of(), true, true, LOOKBACK)
        .of(request("/api/v1/query_range", "step", "60")).maxResolutionWindow());
    for (String bad : List.of("-1", "-5m", "soon")) {
      QueryException e = assertThrows(QueryException.class,
          () -> OPTIONS.of(request("/api/v1/query", "max_source_resolution", bad)));
      assertEquals(QueryException.ErrorType.BAD_DATA, e.type(), bad);
    }
  }

  @Test
  void theLookbackFollowsTheResolutionUnlessTheRequestGivesOne() {
    assertEquals(new QueryOptions(Duration.ofMinutes(5)),
        OPTIONS.queryOptions(request("/api/v1/query")));
    assertEquals(new QueryOptions(Duration.ofMinutes(5)),
        OPTIONS.queryOptions(request("/api/v1/query", "max_source_resolution", "5m")));
    assertEquals(new QueryOptions(Duration.ofHours(1)),
        OPTIONS.queryOptions(request("/api/v1/query", "max_source_resolution", "1h")));
    // auto: a fifth of a 1h step is 12m, above 5m data.
    assertEquals(new QueryOptions(Duration.ofHours(1)), OPTIONS.queryOptions(
        request("/api/v1/query_range", "max_source_resolution", "auto", "step", "1h")));
    assertEquals(new QueryOptions(Duration.ofMinutes(2)), OPTIONS.queryOptions(
        request("/api/v1/query", "max_source_resolution", "1h", "lookback_delta", "2m")));
    assertEquals(new QueryOptions(Duration.ofSeconds(90)),
        OPTIONS.queryOptions(request("/api/v1/query", "lookback_delta", "90")));
    // Not positive: the flags decide.
    assertEquals(new QueryOptions(Duration.ofHours(1)), OPTIONS.queryOptions(
        request("/api/v1/query", "max_source_resolution", "1h", "lookback_delta", "0s")));
    QueryException e = assertThrows(QueryException.class,
        () -> OPTIONS.queryOptions(request("/api/v1/query", "lookback_delta", "later")));
    assertEquals(QueryException.ErrorType.BAD_DATA, e.type());

    QueryCommand fixed = new QueryCommand();
    new CommandLine(fixed).parseArgs("--query.dynamic-lookback-delta=false");
    assertFalse(fixed.dynamicLookback);
    QueryCommand defaults = new QueryCommand();
    new CommandLine(defaults).parseArgs();
    assertTrue(defaults.dynamicLookback);
  }

  @Test
  void defaultStep() {
    DefaultStep step = new DefaultStep(1000);
    assertEquals("4.0", step.apply(request("/api/v1/query_range", "start", "0", "end", "1200"))
        .param("step"));
    assertEquals("1.0", step.apply(request("/api/v1/query_range", "start", "0", "end", "60"))
        .param("step"));
    assertEquals("7", step.apply(request("/api/v1/query_range", "start", "0", "end", "60",
        "step", "7")).param("step"));
    assertEquals(null, step.apply(request("/api/v1/query", "time", "0")).param("step"));
  }
}
