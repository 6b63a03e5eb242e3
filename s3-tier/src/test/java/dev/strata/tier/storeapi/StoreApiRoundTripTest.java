package dev.strata.tier.storeapi;

import static dev.strata.tier.testing.TestTsdb.HOUR;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tier.storeapi.proto.InfoRequest;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tier.storeapi.proto.StoreType;
import dev.strata.tier.storeapi.proto.info.InfoGrpc;
import dev.strata.tier.storeapi.proto.info.InfoResponse;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Xxh64;
import dev.strata.tsdb.storage.Querier;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StoreAPI server over a Tsdb with blocks and a head, read back through the StoreAPI client on a
 * loopback port, against the same Tsdb read directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreApiRoundTripTest {
  private static final int SERIES = 300;
  private static final long END = 6 * HOUR;
  private static final Labels EXTERNAL = Labels.of("cluster", "eu", "replica", "a");

  private Tsdb db;
  private StoreApiServer server;
  private String target;
  private ManagedChannel channel;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    db = TestTsdb.open(dir);
    TestTsdb.fill(db, SERIES, 10, 0, END, 60_000, 7);
    server = StoreServer.start(
        new InetSocketAddress("127.0.0.1", 0), new TsdbStoreSource(db, EXTERNAL));
    target = "127.0.0.1:" + server.port();
    channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
  }

  @AfterAll
  void stop() throws IOException {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void everySampleEqualsADirectRead() {
    assertTrue(db.blocks().size() >= 2, "the data spans blocks and the head");
    LabelMatcher all = LabelMatcher.regex("__name__", "metric_.*");
    Map<Labels, TreeMap<Long, Double>> remote = remote(0, END, all);
    assertEquals(SERIES, remote.size());
    assertEquals(withExternal(direct(0, END, all)), remote);
  }

  @Test
  void eachMatcherTypeSelectsWhatTheTsdbSelects() {
    List<LabelMatcher[]> cases =
        List.of(
            new LabelMatcher[] {LabelMatcher.equal("__name__", "metric_3")},
            new LabelMatcher[] {
              LabelMatcher.notEqual("job", "api"), LabelMatcher.regex("__name__", "metric_[12]")
            },
            new LabelMatcher[] {LabelMatcher.regex("instance", "host-(1|22|29)")},
            new LabelMatcher[] {
              LabelMatcher.notRegex("instance", "host-[0-9]"), LabelMatcher.equal("job", "db")
            },
            new LabelMatcher[] {LabelMatcher.equal("__name__", "no_such_metric")});
    for (LabelMatcher[] m : cases) {
      assertEquals(
          withExternal(direct(0, END, m)), remote(0, END, m), () -> List.of(m).toString());
    }
  }

  @Test
  void timeRangesCutSamplesAsTheTsdbDoes() {
    LabelMatcher m = LabelMatcher.regex("__name__", "metric_[0-4]");
    long[][] ranges = {{HOUR + 30_000, 2 * HOUR + 17_000}, {END - 600_000, END + HOUR}, {0, 0}};
    for (long[] r : ranges) {
      Map<Labels, TreeMap<Long, Double>> remote = remote(r[0], r[1], m);
      assertEquals(withExternal(direct(r[0], r[1], m)), remote, () -> r[0] + ".." + r[1]);
      assertFalse(remote.isEmpty());
    }
    assertTrue(remote(END + HOUR, END + 2 * HOUR, m).isEmpty(), "after the data");
  }

  @Test
  void chunksAreRawPrometheusChunksWithTheirXxh64() {
    List<SeriesResponse> frames =
        frames(request(0, END).addMatchers(eq("__name__", "metric_0")).build());
    int chunks = 0;
    for (SeriesResponse f : frames) {
      for (AggrChunk c : f.getSeries().getChunksList()) {
        Chunk raw = c.getRaw();
        byte[] data = raw.getData().toByteArray();
        assertEquals(Chunk.Encoding.XOR, raw.getType());
        assertEquals(Xxh64.hash(data, 0, data.length), raw.getHash());
        // An XOR chunk starts with its sample count, big-endian.
        assertTrue(((data[0] & 0xff) << 8 | (data[1] & 0xff)) > 0);
        assertTrue(c.getMinTime() <= c.getMaxTime());
        chunks++;
      }
    }
    assertTrue(chunks >= 30, "30 series over blocks and head: " + chunks);
  }

  @Test
  void skipChunksSendsLabelsOnly() {
    List<SeriesResponse> frames =
        frames(request(0, END).addMatchers(eq("job", "api")).setSkipChunks(true).build());
    List<Labels> labels = new ArrayList<>();
    for (SeriesResponse f : frames) {
      assertEquals(0, f.getSeries().getChunksCount());
      labels.add(ProtoLabels.fromProto(f.getSeries().getLabelsList()));
    }
    assertEquals(
        new ArrayList<>(withExternal(direct(0, END, LabelMatcher.equal("job", "api"))).keySet()),
        labels);
  }

  @Test
  void withoutReplicaLabelsDropsThemAndKeepsTheStreamSorted() {
    List<SeriesResponse> frames =
        frames(
            request(0, END)
                .addMatchers(eq("job", "db"))
                .addWithoutReplicaLabels("replica")
                .addWithoutReplicaLabels("instance")
                .setSkipChunks(true)
                .build());
    List<Labels> labels =
        frames.stream().map(f -> ProtoLabels.fromProto(f.getSeries().getLabelsList())).toList();
    TreeSet<Labels> distinct = new TreeSet<>();
    direct(0, END, LabelMatcher.equal("job", "db")).keySet().forEach(l -> distinct.add(
        l.toBuilder().remove("replica", "instance").set("cluster", "eu").build()));
    assertEquals(new ArrayList<>(distinct), labels, "sorted, series made equal sent once");
    for (Labels l : labels) {
      assertFalse(l.has("replica") || l.has("instance"), l::toString);
      assertEquals("eu", l.get("cluster"));
    }
  }

  @Test
  void matchersOnExternalLabelsFollowThanos() {
    LabelMatcher metric = LabelMatcher.equal("__name__", "metric_5");
    assertTrue(remote(0, END, LabelMatcher.equal("cluster", "us"), metric).isEmpty());
    assertEquals(
        remote(0, END, metric), remote(0, END, LabelMatcher.regex("cluster", "e."), metric));
    StoreApiException e =
        assertThrows(
            StoreApiException.class, () -> remote(0, END, LabelMatcher.equal("cluster", "eu")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    assertTrue(
        e.getMessage().contains("no matchers specified (excluding external labels)"),
        e.getMessage());
  }

  @Test
  void bothInfoApisAdvertiseTheExternalLabelsAndRange() {
    InfoResponse info = InfoGrpc.newBlockingStub(channel)
        .info(dev.strata.tier.storeapi.proto.info.InfoRequest.getDefaultInstance());
    List<dev.strata.tier.storeapi.proto.Label> ext = ProtoLabels.toProto(EXTERNAL);
    assertAll(
        () -> assertEquals("sidecar", info.getComponentType()),
        () -> assertEquals(1, info.getLabelSetsCount()),
        () -> assertEquals(ext, info.getLabelSets(0).getLabelsList()),
        () -> assertTrue(info.hasStore()),
        () -> assertEquals(0, info.getStore().getMinTime()),
        () -> assertEquals(Long.MAX_VALUE, info.getStore().getMaxTime()),
        () -> assertTrue(info.getStore().getSupportsWithoutReplicaLabels()),
        () -> assertFalse(info.getStore().getSupportsSharding()),
        () -> assertEquals(ext, info.getStore().getTsdbInfos(0).getLabels().getLabelsList()),
        () -> assertFalse(info.hasRules()));

    dev.strata.tier.storeapi.proto.InfoResponse old =
        StoreGrpc.newBlockingStub(channel).info(InfoRequest.getDefaultInstance());
    assertAll(
        () -> assertEquals(StoreType.SIDECAR, old.getStoreType()),
        () -> assertEquals(ext, old.getLabelsList()),
        () -> assertEquals(ext, old.getLabelSets(0).getLabelsList()),
        () -> assertEquals(0, old.getMinTime()),
        () -> assertEquals(Long.MAX_VALUE, old.getMaxTime()));
  }

  @Test
  void labelNamesAndValuesIncludeTheExternalLabels() {
    try (StoreClient client = StoreClient.connect(target, 0, END);
        Querier direct = db.querier(0, END)) {
      TreeSet<String> names = new TreeSet<>(direct.labelNames());
      names.add("cluster");
      names.add("replica");
      assertEquals(new ArrayList<>(names), client.labelNames());
      LabelMatcher api = LabelMatcher.equal("job", "api");
      assertEquals(direct.labelValues("instance", api), client.labelValues("instance", api));
      assertEquals(List.of("eu"), client.labelValues("cluster"));
      assertEquals(List.of("eu"), client.labelValues("cluster", api));
      assertEquals(
          List.of(), client.labelValues("cluster", LabelMatcher.equal("job", "nothing")));
      assertEquals(List.of(), client.labelNames(LabelMatcher.equal("cluster", "us")));
      assertEquals(List.of(), client.labelValues("job", LabelMatcher.equal("replica", "b")));
      assertTrue(client.warnings().isEmpty());
    }
    // Another range asks the Tsdb for that range (its head answers names by index, not time).
    try (StoreClient later = StoreClient.connect(target, END + HOUR, END + 2 * HOUR);
        Querier direct = db.querier(END + HOUR, END + 2 * HOUR)) {
      TreeSet<String> names = new TreeSet<>(direct.labelNames());
      if (!names.isEmpty()) {
        names.add("cluster");
        names.add("replica");
      }
      assertEquals(new ArrayList<>(names), later.labelNames());
      assertEquals(direct.labelValues("job"), later.labelValues("job"));
    }
  }

  @Test
  void badRequestsFailWithInvalidArgument() {
    // Strata's own matchers refuse a bad regex before sending it: ask with a raw request.
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                StoreGrpc.newBlockingStub(channel)
                    .series(
                        request(0, END)
                            .addMatchers(
                                dev.strata.tier.storeapi.proto.LabelMatcher.newBuilder()
                                    .setType(dev.strata.tier.storeapi.proto.LabelMatcher.Type.RE)
                                    .setName("job")
                                    .setValue("(unclosed"))
                            .build())
                    .hasNext());
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    try (StoreClient client = StoreClient.connect(target, 0, END)) {
      StoreApiException empty =
          assertThrows(StoreApiException.class, () -> client.labelValues(""));
      assertEquals(Status.Code.INVALID_ARGUMENT, empty.code());
      assertTrue(empty.getMessage().contains("label name parameter cannot be empty"));
    }
  }

  @Test
  void aFailedSeriesCallFailsTheClientsSeriesSet() {
    SeriesRequest bad = request(0, END)
        .addMatchers(dev.strata.tier.storeapi.proto.LabelMatcher.newBuilder()
            .setType(dev.strata.tier.storeapi.proto.LabelMatcher.Type.RE)
            .setName("job")
            .setValue("(unclosed"))
        .build();
    try (StoreClient client = StoreClient.connect(target, 0, END)) {
      StoreApiException e = assertThrows(StoreApiException.class, () -> client.select(bad).next());
      assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    }
  }

  @Test
  void closingTheClientCancelsTheSeriesBeingStreamed() {
    // More series than the client asks for ahead of its reader: the rest must not arrive.
    assertTrue(SERIES > 2 * SeriesFrames.WINDOW);
    StoreClient client = StoreClient.connect(target, 0, END);
    var set = client.select(request(0, END)
        .addMatchers(dev.strata.tier.storeapi.proto.LabelMatcher.newBuilder()
            .setType(dev.strata.tier.storeapi.proto.LabelMatcher.Type.RE)
            .setName("__name__")
            .setValue("metric_.*"))
        .build());
    for (int i = 0; i < 10; i++) {
      assertTrue(set.next());
    }
    client.close();
    int[] read = {10};
    StoreApiException e = assertThrows(StoreApiException.class, () -> {
      while (set.next()) {
        read[0]++;
      }
    });
    assertEquals(Status.Code.CANCELLED, e.code());
    assertTrue(read[0] < SERIES, "read " + read[0] + " series of " + SERIES + " after closing");
  }

  @Test
  void healthServiceReportsServing() {
    HealthCheckResponse r =
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, r.getStatus());
  }

  // ---- helpers ----

  private Map<Labels, TreeMap<Long, Double>> remote(long mint, long maxt, LabelMatcher... m) {
    try (StoreClient client = StoreClient.connect(target, mint, maxt)) {
      Map<Labels, TreeMap<Long, Double>> out = TestTsdb.read(client, m);
      out.values().removeIf(TreeMap::isEmpty);
      assertTrue(client.warnings().isEmpty(), client.warnings()::toString);
      return out;
    }
  }

  private Map<Labels, TreeMap<Long, Double>> direct(long mint, long maxt, LabelMatcher... m) {
    try (Querier q = db.querier(mint, maxt)) {
      Map<Labels, TreeMap<Long, Double>> out = TestTsdb.read(q, m);
      out.values().removeIf(TreeMap::isEmpty);
      return out;
    }
  }

  private static Map<Labels, TreeMap<Long, Double>> withExternal(
      Map<Labels, TreeMap<Long, Double>> series) {
    Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    series.forEach(
        (l, s) ->
            out.put(l.toBuilder().set("cluster", "eu").set("replica", "a").build(), s));
    return out;
  }

  private List<SeriesResponse> frames(SeriesRequest request) {
    List<SeriesResponse> out = new ArrayList<>();
    Iterator<SeriesResponse> it = StoreGrpc.newBlockingStub(channel).series(request);
    it.forEachRemaining(out::add);
    return out;
  }

  private static SeriesRequest.Builder request(long mint, long maxt) {
    return SeriesRequest.newBuilder().setMinTime(mint).setMaxTime(maxt);
  }

  private static dev.strata.tier.storeapi.proto.LabelMatcher eq(String name, String value) {
    return dev.strata.tier.storeapi.proto.LabelMatcher.newBuilder()
        .setName(name)
        .setValue(value)
        .build();
  }
}
