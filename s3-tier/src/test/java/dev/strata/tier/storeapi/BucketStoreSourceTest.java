package dev.strata.tier.storeapi;

import static dev.strata.tier.storeapi.BucketFixture.END;
import static dev.strata.tier.storeapi.BucketFixture.EU_A;
import static dev.strata.tier.storeapi.BucketFixture.EU_B;
import static dev.strata.tier.storeapi.BucketFixture.H;
import static dev.strata.tier.storeapi.BucketFixture.US;
import static dev.strata.tier.storeapi.BucketServer.request;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.AggrType;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.store.BucketBlock;
import dev.strata.tier.storeapi.BucketFixture.LocalBlock;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.InfoRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tier.storeapi.proto.StoreType;
import dev.strata.tier.storeapi.proto.info.InfoResponse;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A filesystem bucket with raw, 5-minute and 1-hour blocks of three producers, served by a
 * {@link BucketStoreSource} and read back over the StoreAPI against the local blocks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketStoreSourceTest {
  private static final LabelMatcher ANY = LabelMatcher.regex("__name__", ".+");
  private static final Labels REQUESTS =
      Labels.of("__name__", "http_requests_total", "instance", "host-0", "job", "api");

  private BucketFixture data;
  private Bucket bucket;
  private BucketServer gateway;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    data = BucketFixture.create(dir.resolve("blocks"));
    bucket = FilesystemBucket.open(dir.resolve("bucket"));
    data.uploadAll(bucket);
    gateway = BucketServer.start(bucket, dir.resolve("local"), Duration.ZERO);
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (bucket != null) {
      bucket.close();
    }
  }

  @Test
  void infoAdvertisesEveryProducerAndTheRangeOfTheBlocks() {
    InfoResponse info = gateway.info();
    assertAll(
        () -> assertEquals("store", info.getComponentType()),
        () -> assertEquals(List.of(set(EU_A), set(EU_B), set(US)), info.getLabelSetsList()),
        () -> assertEquals(0, info.getStore().getMinTime()),
        () -> assertEquals(END, info.getStore().getMaxTime()),
        () -> assertTrue(info.getStore().getSupportsWithoutReplicaLabels()),
        () -> assertEquals(3, info.getStore().getTsdbInfosCount()),
        () -> assertEquals(set(EU_A), info.getStore().getTsdbInfos(0).getLabels()),
        () -> assertEquals(END, info.getStore().getTsdbInfos(0).getMaxTime()),
        () -> assertEquals(24 * H, info.getStore().getTsdbInfos(2).getMaxTime()));
    var old = StoreGrpc.newBlockingStub(gateway.channel).info(InfoRequest.getDefaultInstance());
    assertAll(
        () -> assertEquals(StoreType.STORE, old.getStoreType()),
        () -> assertEquals(3, old.getLabelSetsCount()),
        () -> assertEquals(0, old.getLabelsCount(), "no single label set to give"),
        () -> assertEquals(END, old.getMaxTime()));
  }

  @Test
  void rawSamplesEqualTheBlocksReadLocally() throws IOException {
    long[][] ranges = {{0, END}, {20 * H + 1, 50 * H + 7}, {30 * H, 30 * H}};
    for (long[] r : ranges) {
      Map<Labels, TreeMap<Long, Double>> expected = data.readRaw(r[0], r[1], ANY);
      try (StoreClient client = gateway.client(r[0], r[1])) {
        assertEquals(expected, TestTsdb.read(client, ANY), r[0] + ".." + r[1]);
      }
      assertFalse(expected.isEmpty());
    }
    // And the local blocks hold what was written.
    Map<Labels, TreeMap<Long, Double>> written = new TreeMap<>();
    data.samples.forEach((producer, series) -> series.forEach(
        (l, s) -> written.put(BucketChunks.served(l, producer), s)));
    assertEquals(written, data.readRaw(0, END, ANY));
  }

  @Test
  void skipChunksSendsEachSeriesOnceInOrder() throws IOException {
    List<Labels> labels = new ArrayList<>();
    for (SeriesResponse f : gateway.frames(request(0, END, ANY).setSkipChunks(true).build())) {
      assertEquals(0, f.getSeries().getChunksCount());
      labels.add(ProtoLabels.fromProto(f.getSeries().getLabelsList()));
    }
    assertEquals(new ArrayList<>(data.readRaw(0, END, ANY).keySet()), labels);
  }

  @Test
  void onlyBlocksOverlappingTheRangeAreRead() {
    Map<String, Long> before = requestsPerBlock();
    List<Labels> served = new ArrayList<>(gateway.series(request(0, 10 * H, ANY).build()).keySet());
    Map<String, Long> after = requestsPerBlock();
    assertEquals(8 + 8 + 1, served.size());
    for (LocalBlock b : List.of(data.raw2, data.raw3, data.fiveMinutes1, data.oneHour1)) {
      assertEquals(before.get(b.ulid()), after.get(b.ulid()), b.ulid() + " was read");
    }
    StoreSource euA = new BucketStoreSource(gateway.store).parts().get(0);
    assertEquals(List.of(name(data.raw2)), names(euA, 0, 30 * H, 30 * H));
  }

  @Test
  void resolutionWindowPicksTheCoarsestBlocksAndFillsTheGapsWithFinerOnes() throws IOException {
    StoreSource euA = new BucketStoreSource(gateway.store).parts().get(0);
    assertEquals(EU_A, euA.externalLabels());
    assertEquals(List.of(name(data.oneHour1), name(data.fiveMinutes2), name(data.raw3)),
        names(euA, H, 0, END));
    assertEquals(List.of(name(data.fiveMinutes1), name(data.fiveMinutes2), name(data.raw3)),
        names(euA, 5 * 60_000, 0, END));
    assertEquals(List.of(name(data.raw1), name(data.raw2), name(data.raw3)),
        names(euA, 0, 0, END));
    assertEquals(List.of(name(data.fiveMinutes2), name(data.raw3)), names(euA, H, 30 * H, 60 * H));

    // Over the wire: 1h aggregates, then 5m ones, then raw chunks.
    Map<Labels, List<AggrChunk>> served = gateway.series(request(0, END, ofEuA(REQUESTS))
        .setMaxResolutionWindow(H).addAggregates(Aggr.COUNT).build());
    List<AggrChunk> expected = BucketChunks.expected(
        List.of(data.oneHour1, data.fiveMinutes2, data.raw3), REQUESTS,
        EnumSet.of(AggrType.COUNT), 0, END);
    assertEquals(Map.of(BucketChunks.served(REQUESTS, EU_A), expected), served);
    assertTrue(expected.get(0).hasCount() && expected.get(expected.size() - 1).hasRaw());
  }

  @Test
  void downsampledChunksCarryExactlyTheRequestedAggregates() throws IOException {
    Map<Labels, List<AggrChunk>> served = gateway.series(request(0, END, ofEuA(REQUESTS))
        .setMaxResolutionWindow(5 * 60_000)
        .addAggregates(Aggr.MIN).addAggregates(Aggr.MAX).addAggregates(Aggr.COUNTER).build());
    List<AggrChunk> chunks = served.get(BucketChunks.served(REQUESTS, EU_A));
    assertEquals(BucketChunks.expected(List.of(data.fiveMinutes1, data.fiveMinutes2, data.raw3),
        REQUESTS, EnumSet.of(AggrType.MIN, AggrType.MAX, AggrType.COUNTER), 0, END), chunks);
    for (AggrChunk c : chunks) {
      boolean downsampled = c.getMinTime() < 48 * H;
      assertEquals(downsampled, c.hasMin() && c.hasMax() && c.hasCounter(), c::toString);
      assertEquals(!downsampled, c.hasRaw());
      assertFalse(c.hasCount() || c.hasSum());
    }
  }

  @Test
  void aRequestWithoutAggregatesGetsCountAndSum() {
    List<AggrChunk> chunks = gateway.series(request(0, 24 * H - 1, ofEuA(REQUESTS))
        .setMaxResolutionWindow(H).build()).get(BucketChunks.served(REQUESTS, EU_A));
    assertFalse(chunks.isEmpty());
    for (AggrChunk c : chunks) {
      assertTrue(c.hasCount() && c.hasSum(), c::toString);
      assertFalse(c.hasRaw() || c.hasMin() || c.hasMax() || c.hasCounter());
    }
  }

  @Test
  void matchersOnExternalLabelsChooseTheProducers() {
    assertEquals(Set.of(US), producers(LabelMatcher.equal("cluster", "us"), ANY));
    assertEquals(Set.of(EU_A, EU_B), producers(LabelMatcher.regex("cluster", "e."), ANY));
    assertEquals(Set.of(EU_B),
        producers(LabelMatcher.equal("replica", "b"), LabelMatcher.equal("__name__", "load")));
    assertEquals(Set.of(), producers(LabelMatcher.equal("cluster", "asia"), ANY));
    assertEquals(Set.of(US), producers(LabelMatcher.notEqual("replica", "b"),
        LabelMatcher.equal("__name__", "us_only")));
    StoreApiException e = assertThrows(StoreApiException.class,
        () -> producers(LabelMatcher.equal("cluster", "eu")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("no matchers specified (excluding external labels)"));
  }

  @Test
  void withoutReplicaLabelsReplicasOfDifferentProducersAreServedAsOneSeries() {
    List<SeriesResponse> frames = gateway.frames(
        request(0, 24 * H - 1, LabelMatcher.equal("job", "db"))
            .addWithoutReplicaLabels("replica").build());
    List<Labels> labels = new ArrayList<>();
    frames.forEach(f -> labels.add(ProtoLabels.fromProto(f.getSeries().getLabelsList())));
    assertEquals(2 * 2, labels.size(), "two metrics, two instances, the replicas merged");
    for (int i = 0; i < labels.size(); i++) {
      assertFalse(labels.get(i).has("replica"));
      if (i > 0) {
        assertTrue(labels.get(i - 1).compareTo(labels.get(i)) < 0, "sorted, each once: " + labels);
      }
    }
    // Each carries the chunks of both replicas, in time order.
    List<SeriesResponse> oneReplica = gateway.frames(
        request(0, 24 * H - 1, LabelMatcher.equal("job", "db"), LabelMatcher.equal("replica", "a"))
            .build());
    for (int i = 0; i < frames.size(); i++) {
      var chunks = frames.get(i).getSeries().getChunksList();
      assertTrue(chunks.size() > oneReplica.get(i).getSeries().getChunksCount(), labels.get(i)::toString);
      for (int c = 1; c < chunks.size(); c++) {
        assertTrue(chunks.get(c - 1).getMinTime() <= chunks.get(c).getMinTime());
      }
    }
  }

  @Test
  void labelCallsCoverEveryProducerWithItsExternalLabels() {
    try (StoreClient all = gateway.client(0, END)) {
      assertEquals(List.of("__name__", "cluster", "instance", "job", "replica"), all.labelNames());
      assertEquals(List.of("eu", "us"), all.labelValues("cluster"));
      assertEquals(List.of("a", "b"), all.labelValues("replica"));
      assertEquals(List.of("a"), all.labelValues("replica", LabelMatcher.equal("cluster", "us")));
      assertEquals(List.of("us_only"),
          all.labelValues("__name__", LabelMatcher.equal("cluster", "us")));
      assertEquals(List.of("load", "temperature"),
          all.labelValues("__name__", LabelMatcher.equal("job", "db")));
      assertEquals(List.of("a"),
          all.labelValues("replica", LabelMatcher.equal("__name__", "us_only")));
      assertEquals(List.of(), all.labelValues("cluster", LabelMatcher.equal("job", "nothing")));
      assertEquals(List.of("__name__", "cluster", "instance", "replica"),
          all.labelNames(LabelMatcher.equal("cluster", "us")));
    }
    try (StoreClient late = gateway.client(30 * H, 40 * H)) {
      assertEquals(List.of("a"), late.labelValues("replica"), "only EU_A has blocks then");
      assertEquals(List.of("eu"), late.labelValues("cluster", LabelMatcher.equal("job", "db")));
    }
    try (StoreClient after = gateway.client(100 * H, 200 * H)) {
      assertEquals(List.of(), after.labelNames());
      assertEquals(List.of(), after.labelValues("cluster"));
    }
  }

  // ---- helpers ----

  private Set<Labels> producers(LabelMatcher... matchers) {
    Set<Labels> out = new HashSet<>();
    try (StoreClient client = gateway.client(0, END)) {
      TestTsdb.read(client, matchers).keySet().forEach(l -> out.add(
          Labels.of("cluster", l.get("cluster"), "replica", l.get("replica"))));
    }
    return out;
  }

  private Map<String, Long> requestsPerBlock() {
    Map<String, Long> out = new TreeMap<>();
    for (BucketBlock b : gateway.store.blocks()) {
      out.put(b.ulid().toString(), b.requests());
    }
    return out;
  }

  private static List<String> names(StoreSource part, long window, long mint, long maxt) {
    StoreQuery q = new StoreQuery(mint, maxt, window, Set.of(), false);
    return part.queriers(q).stream().map(NamedQuerier::name).toList();
  }

  private static String name(LocalBlock b) {
    return "block " + b.ulid() + " (" + dev.strata.downsample.Resolutions.format(b.resolution())
        + ")";
  }

  /** Matchers selecting the series {@code l} of producer {@link BucketFixture#EU_A} only. */
  private static LabelMatcher[] ofEuA(Labels l) {
    List<LabelMatcher> m = new ArrayList<>(List.of(BucketChunks.equalTo(l)));
    m.add(LabelMatcher.equal("replica", "a"));
    return m.toArray(LabelMatcher[]::new);
  }

  private static dev.strata.tier.storeapi.proto.ZLabelSet set(Labels l) {
    return ProtoLabels.toLabelSet(l);
  }
}
