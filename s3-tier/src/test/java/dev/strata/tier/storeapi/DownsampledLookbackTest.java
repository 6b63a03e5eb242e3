package dev.strata.tier.storeapi;

import static dev.strata.tier.storeapi.BucketFixture.H;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.promql.Engine;
import dev.strata.promql.QueryOptions;
import dev.strata.promql.Sample;
import dev.strata.promql.Vector;
import dev.strata.promql.parser.PromqlParser;
import dev.strata.tier.query.DynamicLookback;
import dev.strata.tier.query.EndpointQueryable;
import dev.strata.tier.query.EndpointSet;
import dev.strata.tier.query.ProxyRequest;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The querier over a store serving only 1-hour aggregates: an instant query half an hour after
 * the last aggregate finds it when it accepts 1-hour data, since the lookback then widens to an
 * hour as in Thanos; with raw data only, or without the dynamic lookback, it finds nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DownsampledLookbackTest {
  private static final long END = 24 * H;
  private static final LabelMatcher TEMPERATURE = LabelMatcher.equal("__name__", "temperature");
  private static final DynamicLookback THANOS_DEFAULT =
      new DynamicLookback(Duration.ofMinutes(5), true);

  private GatewayEndpoint served;
  private BucketServer gateway;
  private EndpointSet endpoints;
  private final Engine engine = new Engine();

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    BucketFixture data = BucketFixture.create(dir.resolve("blocks"));
    served = GatewayEndpoint.start(dir, List.of(data.oneHour1));
    gateway = served.gateway;
    endpoints = served.endpoints;
  }

  @AfterAll
  void stop() throws Exception {
    if (served != null) {
      served.close();
    }
  }

  private Vector instant(long maxSourceResolution, DynamicLookback lookback, long t) {
    EndpointQueryable queryable = new EndpointQueryable(endpoints,
        ProxyRequest.DEFAULTS.withMaxResolutionWindow(maxSourceResolution));
    QueryOptions options =
        new QueryOptions(lookback.forMaxSourceResolution(maxSourceResolution));
    return (Vector) engine.instantQuery(queryable, PromqlParser.parse("temperature"), t, options)
        .value();
  }

  /** Each series' last 1-hour aggregate (the window's average), as the store serves it. */
  private Map<Labels, double[]> lastAggregates() {
    Map<Labels, double[]> last = new TreeMap<>();
    EndpointQueryable queryable = new EndpointQueryable(endpoints,
        ProxyRequest.DEFAULTS.withMaxResolutionWindow(H));
    try (Querier q = queryable.querier(0, END)) {
      SeriesSet set = q.select(TEMPERATURE);
      while (set.next()) {
        SampleIterator it = set.at().samples();
        double[] tv = null;
        while (it.next()) {
          tv = new double[] {it.t(), it.v()};
        }
        last.put(set.at().labels(), tv);
      }
    }
    return last;
  }

  @Test
  void halfAnHourAfterTheLastAggregateOnlyTheWidenedLookbackFindsIt() {
    Map<Labels, double[]> last = lastAggregates();
    assertEquals(2, last.size(), last::toString);
    long lastTime = (long) last.values().iterator().next()[0];
    assertTrue(lastTime > END - 2 * H, () -> "last aggregate at " + lastTime);
    long t = lastTime + 30 * 60_000;

    Vector found = instant(H, THANOS_DEFAULT, t);
    assertEquals(2, found.size(), found::toString);
    for (Sample s : found.samples()) {
      assertEquals(last.get(s.labels())[1], s.value(), s::toString);
    }
    // Raw data only: the store has none.
    assertEquals(0, instant(0, THANOS_DEFAULT, t).size());
    // The same data with the engine's 5 minutes: the aggregate is too far back.
    assertEquals(0, instant(H, new DynamicLookback(Duration.ofMinutes(5), false), t).size());
    // Within five minutes of it, the plain lookback finds it too.
    assertFalse(instant(H, new DynamicLookback(Duration.ofMinutes(5), false), lastTime + 60_000)
        .samples().isEmpty());
  }
}
