package dev.strata.tier.query;

import static dev.strata.tier.testing.TestTsdb.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.AggrType;
import dev.strata.promql.Engine;
import dev.strata.promql.QueryResult;
import dev.strata.promql.SelectHints;
import dev.strata.promql.Value;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tsdb.storage.SeriesSet;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The engine's source over two identical replicas served on loopback ports. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointQueryableTest {
  private static final int SERIES = 6;
  private static final LabelMatcher ALL = LabelMatcher.regex("__name__", "metric_.*");

  private TestStore a;
  private TestStore b;
  private EndpointSet endpoints;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    a = TestStore.start(dir.resolve("a"), Labels.of("cluster", "eu", "replica", "a"), SERIES, 0,
        HOUR, 1, true);
    b = TestStore.start(dir.resolve("b"), Labels.of("cluster", "eu", "replica", "b"), SERIES, 0,
        HOUR, 1, true);
    endpoints = EndpointSet.builder().endpoint(a.address()).endpoint(b.address()).start();
    endpoints.update();
    assertEquals(2, endpoints.stores().size(), () -> "" + endpoints.statuses());
  }

  @AfterAll
  void stop() throws Exception {
    if (endpoints != null) {
      endpoints.close();
    }
    a.close();
    b.close();
  }

  private static int count(Querier q) {
    try (q) {
      SeriesSet set = q.select(ALL);
      int n = 0;
      while (set.next()) {
        n++;
      }
      return n;
    }
  }

  @Test
  void replicasAreOneSeriesWithDedupAndTwoWithout() {
    ProxyRequest dedup = ProxyRequest.DEFAULTS.withReplicaLabels("replica");
    assertEquals(SERIES, count(new EndpointQueryable(endpoints, dedup).querier(0, HOUR)));
    assertEquals(2 * SERIES,
        count(new EndpointQueryable(endpoints, dedup.withDedup(false)).querier(0, HOUR)));
    assertEquals(2 * SERIES,
        count(new EndpointQueryable(endpoints, ProxyRequest.DEFAULTS).querier(0, HOUR)));
  }

  @Test
  void deduplicatedCountersRateAsOneReplica() {
    Engine engine = new Engine();
    EndpointQueryable dedup =
        new EndpointQueryable(endpoints, ProxyRequest.DEFAULTS.withReplicaLabels("replica"));
    for (String query : List.of("sum(rate(metric_0[5m]))", "sum(increase(metric_1[10m]))",
        "sum(max_over_time(metric_2[5m]))")) {
      QueryResult fromBoth = engine.instantQuery(dedup, query, HOUR / 2);
      QueryResult fromA = engine.instantQuery(a.db::querier, query, HOUR / 2);
      Value expected = fromA.value();
      assertEquals(expected, fromBoth.value(), query);
      assertEquals(List.of(), fromBoth.warnings(), query);
    }
  }

  @Test
  void anInstantQueryAsksTheStoresForItsWindowOnly() {
    EndpointQueryable dedup =
        new EndpointQueryable(endpoints, ProxyRequest.DEFAULTS.withReplicaLabels("replica"));
    long at = HOUR / 2;
    long lookback = 5 * 60_000;
    Engine engine = new Engine();
    // A range selector: its range before the evaluation time; an instant one: the lookback.
    String[] queries = {"sum(increase(metric_1[10m]))", "metric_0"};
    long[] from = {at - 10 * 60_000, at - lookback};
    for (int i = 0; i < queries.length; i++) {
      a.seriesRequests.clear();
      b.seriesRequests.clear();
      assertFalse(engine.instantQuery(dedup, queries[i], at).value().toString().isEmpty());
      List<SeriesRequest> asked = new java.util.ArrayList<>(a.seriesRequests);
      asked.addAll(b.seriesRequests);
      assertEquals(2, asked.size(), asked::toString);
      for (SeriesRequest r : asked) {
        assertEquals(from[i], r.getMinTime(), queries[i]);
        assertEquals(at, r.getMaxTime(), queries[i]);
      }
    }
  }

  @Test
  void aggregatesFollowTheFunctionAsInThanos() {
    assertEquals(Set.of(AggrType.MIN), EndpointQueryable.aggregates("min_over_time"));
    assertEquals(Set.of(AggrType.MAX), EndpointQueryable.aggregates("max"));
    assertEquals(Set.of(AggrType.COUNT), EndpointQueryable.aggregates("count_over_time"));
    assertEquals(Set.of(AggrType.SUM), EndpointQueryable.aggregates("sum_over_time"));
    assertEquals(Set.of(AggrType.COUNTER), EndpointQueryable.aggregates("rate"));
    assertEquals(Set.of(AggrType.COUNTER), EndpointQueryable.aggregates("resets"));
    assertEquals(EnumSet.of(AggrType.COUNT, AggrType.SUM), EndpointQueryable.aggregates("sum"));
    assertEquals(EnumSet.of(AggrType.COUNT, AggrType.SUM), EndpointQueryable.aggregates(null));
  }

  @Test
  void aSeriesLookupAsksForLabelsOnlyAtAnyResolution() {
    EndpointQueryable dedup =
        new EndpointQueryable(endpoints, ProxyRequest.DEFAULTS.withReplicaLabels("replica"));
    a.seriesRequests.clear();
    b.seriesRequests.clear();
    SelectHints labelsOnly = new SelectHints(0, HOUR, 0, SelectHints.SERIES, 0, 0);
    int n = 0;
    try (Querier q = dedup.querier(0, HOUR, labelsOnly)) {
      SeriesSet set = q.select(ALL);
      while (set.next()) {
        assertFalse(set.at().labels().has("replica"), set.at().labels()::toString);
        assertFalse(set.at().samples().next(), set.at().labels()::toString);
        n++;
      }
    }
    assertEquals(SERIES, n);
    List<SeriesRequest> asked = new java.util.ArrayList<>(a.seriesRequests);
    asked.addAll(b.seriesRequests);
    assertEquals(2, asked.size(), asked::toString);
    for (SeriesRequest r : asked) {
      assertTrue(r.getSkipChunks(), r::toString);
      assertEquals(Long.MAX_VALUE, r.getMaxResolutionWindow(), r::toString);
    }

    // A query's selector reads samples.
    a.seriesRequests.clear();
    SelectHints query = new SelectHints(0, HOUR, 0, null, 0, 300_000);
    try (Querier q = dedup.querier(0, HOUR, query)) {
      SeriesSet set = q.select(ALL);
      assertTrue(set.next());
      assertTrue(set.at().samples().next());
    }
    assertFalse(a.seriesRequests.get(0).getSkipChunks());
  }
}
