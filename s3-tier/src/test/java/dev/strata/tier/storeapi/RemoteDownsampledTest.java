package dev.strata.tier.storeapi;

import static dev.strata.tier.storeapi.BucketFixture.EU_A;
import static dev.strata.tier.storeapi.BucketFixture.H;
import static dev.strata.tier.storeapi.BucketServer.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.AggrType;
import dev.strata.downsample.Aggregation;
import dev.strata.downsample.DownsampledBlockReader;
import dev.strata.downsample.Resolutions;
import dev.strata.promql.SelectHints;
import dev.strata.tier.query.EndpointQueryable;
import dev.strata.tier.query.EndpointSet;
import dev.strata.tier.query.ProxyRequest;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downsampled data read over the StoreAPI, from a bucket holding only a 5m block: for each
 * PromQL function the samples equal those the downsample module reads from the same block
 * locally, both through a {@link StoreClient} and through the querier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteDownsampledTest {
  private static final long END = 24 * H;
  private static final long FIVE_MINUTES = 5 * 60_000;
  private static final LabelMatcher ALL = LabelMatcher.regex("__name__", ".+");

  private BucketFixture data;
  private GatewayEndpoint served;
  private BucketServer gateway;
  private EndpointSet endpoints;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    data = BucketFixture.create(dir.resolve("blocks"));
    served = GatewayEndpoint.start(dir, List.of(data.fiveMinutes1));
    gateway = served.gateway;
    endpoints = served.endpoints;
  }

  @AfterAll
  void stop() throws Exception {
    if (served != null) {
      served.close();
    }
  }

  @Test
  void sumOverTimeReadsTheSumAggregate() throws IOException {
    assertClientReadsAsLocally("sum_over_time", Aggr.SUM);
  }

  @Test
  void maxOverTimeReadsTheMaxAggregate() throws IOException {
    assertClientReadsAsLocally("max_over_time", Aggr.MAX);
  }

  @Test
  void rateReadsTheCounterWithResetsRemoved() throws IOException {
    assertClientReadsAsLocally("rate", Aggr.COUNTER);
  }

  @Test
  void aPlainSelectorReadsTheAverages() throws IOException {
    assertClientReadsAsLocally(null, Aggr.COUNT, Aggr.SUM);
  }

  @Test
  void theQuerierReadsWhatTheFunctionNeeds() throws Exception {
    EndpointQueryable queryable = new EndpointQueryable(endpoints,
        ProxyRequest.DEFAULTS.withMaxResolutionWindow(FIVE_MINUTES));
    for (String function : new String[] {"sum_over_time", "max_over_time", "min_over_time",
        "count_over_time", "rate", "increase", null}) {
      Map<Labels, TreeMap<Long, Double>> expected = local(Aggregation.forFunction(function));
      assertFalse(expected.isEmpty());
      SelectHints hints = new SelectHints(0, END, 60_000, function, 5 * 60_000, 300_000);
      try (Querier q = queryable.querier(0, END, hints)) {
        assertEquals(expected, TestTsdb.read(q, ALL), () -> "function " + function);
      }
    }
  }

  @Test
  void theChunksOfADownsampledSeriesAreXorChunksOfTheAggregation() {
    SeriesRequest r = request(0, END, ALL).setMaxResolutionWindow(FIVE_MINUTES)
        .addAggregates(Aggr.MAX).build();
    try (StoreClient client = gateway.client(0, END)) {
      SeriesSet set = client.select(r, Aggregation.MAX);
      assertTrue(set.next());
      ChunkIterator chunks = set.at().chunks();
      int n = 0;
      while (chunks.next()) {
        assertEquals(dev.strata.tsdb.chunkenc.ChunkEncoding.XOR, chunks.encoding());
        assertTrue(chunks.minTime() <= chunks.maxTime());
        n++;
      }
      assertTrue(n > 0);
    }
  }

  @Test
  void aChunkWithoutTheNeededAggregateNamesTheSeries() {
    SeriesRequest r = request(0, END, ALL).setMaxResolutionWindow(FIVE_MINUTES)
        .addAggregates(Aggr.MIN).build();
    try (StoreClient client = gateway.client(0, END)) {
      SeriesSet set = client.select(r, Aggregation.MAX);
      assertTrue(set.next());
      Labels series = set.at().labels();
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> set.at().samples().next());
      assertTrue(e.getMessage().contains(series.toString()), e::getMessage);
      assertTrue(e.getMessage().contains("max"), e::getMessage);
    }
  }

  @Test
  void theAggregationFollowsTheAggregatesAsked() {
    assertEquals(Aggregation.COUNTER, StoreClient.aggregationFor(List.of(Aggr.COUNTER)));
    assertEquals(Aggregation.MIN, StoreClient.aggregationFor(List.of(Aggr.MIN)));
    assertEquals(Aggregation.AVERAGE, StoreClient.aggregationFor(List.of(Aggr.COUNT, Aggr.SUM)));
    assertEquals(Aggregation.AVERAGE, StoreClient.aggregationFor(List.of()));
    for (String f : new String[] {"sum_over_time", "max_over_time", "rate", "count_over_time",
        "min", "avg_over_time", "irate"}) {
      List<Aggr> asked = EndpointQueryable.aggregates(f).stream().map(RemoteDownsampledTest::aggr)
          .toList();
      assertEquals(Aggregation.forFunction(f), StoreClient.aggregationFor(asked), f);
    }
  }

  private void assertClientReadsAsLocally(String function, Aggr... aggregates)
      throws IOException {
    Aggregation aggregation = Aggregation.forFunction(function);
    SeriesRequest r = request(0, END, ALL).setMaxResolutionWindow(FIVE_MINUTES)
        .addAllAggregates(List.of(aggregates)).build();
    Map<Labels, TreeMap<Long, Double>> expected = local(aggregation);
    assertFalse(expected.isEmpty());
    try (StoreClient client = gateway.client(0, END)) {
      assertEquals(expected, read(client.select(r, aggregation)));
    }
    // The request's aggregates alone imply the same aggregation.
    try (StoreClient client = gateway.client(0, END)) {
      assertEquals(expected, read(client.select(r)));
    }
  }

  /** The block read locally as {@code aggregation}, with the producer's external labels. */
  private Map<Labels, TreeMap<Long, Double>> local(Aggregation aggregation) throws IOException {
    assertEquals(Resolutions.FIVE_MINUTES, data.fiveMinutes1.resolution());
    Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    try (Block block = Block.open(data.fiveMinutes1.dir());
        Querier q = new MergeQuerier(
            List.of(DownsampledBlockReader.open(block, aggregation)), 0, END)) {
      TestTsdb.read(q, ALL).forEach((l, s) -> {
        Labels.Builder served = l.toBuilder();
        EU_A.forEach(served::set);
        out.put(served.build(), s);
      });
    }
    return out;
  }

  private static Map<Labels, TreeMap<Long, Double>> read(SeriesSet set) {
    Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    while (set.next()) {
      TreeMap<Long, Double> samples = new TreeMap<>();
      SampleIterator it = set.at().samples();
      while (it.next()) {
        samples.put(it.t(), it.v());
      }
      out.put(set.at().labels(), samples);
    }
    return out;
  }

  private static Aggr aggr(AggrType t) {
    return Aggr.valueOf(t.name());
  }
}
