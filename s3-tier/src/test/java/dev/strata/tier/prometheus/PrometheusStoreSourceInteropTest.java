package dev.strata.tier.prometheus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.StoreServer;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tier.storeapi.proto.InfoRequest;
import dev.strata.tier.storeapi.proto.InfoResponse;
import dev.strata.tier.storeapi.proto.LabelNamesRequest;
import dev.strata.tier.storeapi.proto.LabelValuesRequest;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tier.storeapi.proto.StoreType;
import dev.strata.tsdb.ReadOnlyTsdb;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Xxh64;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.PrometheusServer;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.textparse.GoFloatFormat;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus 2.42, started on a block written by promtool, with external labels and
 * scraping itself every second, served on the StoreAPI by {@link PrometheusStoreSource} and read
 * with gRPC as a Thanos querier reads a sidecar. The last test stops Prometheus.
 */
@Interop
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusStoreSourceInteropTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final int SAMPLES = 400; // several chunks per series
  private static final long STEP = 15_000;
  private static final Labels EXTERNAL = Labels.of("cluster", "eu", "replica", "a");

  /** The seeded series and their samples, in label order. */
  private final Map<Labels, List<double[]>> seeded = new LinkedHashMap<>();

  private Path pristine;
  private PrometheusServer prometheus;
  private PrometheusClient client;
  private StoreApiServer server;
  private ManagedChannel channel;
  private StoreGrpc.StoreBlockingStub store;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("seed.om"), seed());
    Path data = Files.createDirectories(dir.resolve("data"));
    Promtool.run(dir, "tsdb", "create-blocks-from", "openmetrics", "seed.om", data.toString())
        .assertSuccess();
    pristine = dir.resolve("pristine");
    copyTree(data, pristine);
    prometheus =
        PrometheusServer.start(
            dir,
            data,
            port ->
                "global:\n"
                    + "  scrape_interval: 1s\n"
                    + "  external_labels:\n"
                    + "    cluster: eu\n"
                    + "    replica: a\n"
                    + "scrape_configs:\n"
                    + "  - job_name: prometheus\n"
                    + "    static_configs:\n"
                    + "      - targets: ['127.0.0.1:" + port + "']\n",
            // What the sidecar requires: equal block durations, so Prometheus does not compact.
            List.of(
                "--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h"));
    client = new PrometheusClient(prometheus.baseUri(), Duration.ofSeconds(10));
    Labels external = client.externalLabels(); // read once at start, as the sidecar does
    server =
        StoreServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            new PrometheusStoreSource(
                client, () -> external, () -> PrometheusStoreSource.UNBOUNDED_MIN_TIME));
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    store = StoreGrpc.newBlockingStub(channel);
  }

  @AfterAll
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  @Order(1)
  void theClientReadsWhatTheSidecarChecksAtStart() throws Exception {
    assertTrue(client.ready());
    assertEquals(EXTERNAL, client.externalLabels());
    assertTrue(client.version().startsWith("2.42."), client.version());
    Map<String, String> flags = client.flags().orElseThrow();
    assertEquals("2h", flags.get("storage.tsdb.min-block-duration"));
    assertEquals("2h", flags.get("storage.tsdb.max-block-duration"));

    InfoResponse info = store.info(InfoRequest.getDefaultInstance());
    assertEquals(StoreType.SIDECAR, info.getStoreType());
    assertEquals(PrometheusStoreSource.UNBOUNDED_MIN_TIME, info.getMinTime());
    assertEquals(Long.MAX_VALUE, info.getMaxTime());
  }

  @Test
  @Order(2)
  void seriesServeTheSeededSamplesAndChunkBytesExactlyWithTheExternalLabels() throws Exception {
    try (RemoteReadResponse answer =
        client.read(T0, T0 + 1000, List.of(LabelMatcher.equal("__name__", "seeded_gauge")))) {
      assertTrue(answer.streamed(), "Prometheus 2.42 streams chunks when asked to");
    }
    Map<Labels, List<AggrChunk>> served =
        series(T0 - 3_600_000, T0 + 3 * 3_600_000, false, regex("__name__", "seeded_.*"));

    List<Labels> expectedLabels = new ArrayList<>();
    for (Labels l : seeded.keySet()) {
      expectedLabels.add(withExternal(l));
    }
    assertEquals(expectedLabels, new ArrayList<>(served.keySet()), "sorted, external labels set");
    try (ReadOnlyTsdb block = ReadOnlyTsdb.open(pristine);
        Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet stored = q.select(regex("__name__", "seeded_.*"));
      for (Map.Entry<Labels, List<double[]>> series : seeded.entrySet()) {
        assertTrue(stored.next());
        assertEquals(series.getKey(), stored.at().labels());
        List<AggrChunk> chunks = served.get(withExternal(series.getKey()));
        ChunkIterator storedChunks = stored.at().chunks();
        List<double[]> samples = new ArrayList<>();
        for (AggrChunk c : chunks) {
          assertTrue(storedChunks.next());
          Chunk raw = c.getRaw();
          byte[] bytes = raw.getData().toByteArray();
          assertArrayEquals(storedChunks.bytes(), bytes, "Prometheus's chunk bytes unchanged");
          assertEquals(storedChunks.minTime(), c.getMinTime());
          assertEquals(storedChunks.maxTime(), c.getMaxTime());
          assertEquals(Chunk.Encoding.XOR, raw.getType());
          assertEquals(Xxh64.hash(bytes, 0, bytes.length), raw.getHash());
          XorChunkIterator it = new XorChunkIterator().reset(bytes, 0, bytes.length);
          while (it.next()) {
            samples.add(new double[] {it.atT(), it.atV()});
          }
        }
        assertFalse(storedChunks.next());
        assertSameSamples(series.getValue(), samples, series.getKey());
      }
      assertFalse(stored.next());
    }
  }

  @Test
  @Order(3)
  void recentSelfScrapedSamplesAreServed() throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      long now = System.currentTimeMillis();
      Map<Labels, List<AggrChunk>> served =
          series(now - 60_000, now + 1_000, false, LabelMatcher.equal("__name__", "up"));
      List<double[]> samples = new ArrayList<>();
      Labels labels = null;
      for (Map.Entry<Labels, List<AggrChunk>> e : served.entrySet()) {
        labels = e.getKey();
        for (AggrChunk c : e.getValue()) {
          byte[] bytes = c.getRaw().getData().toByteArray();
          XorChunkIterator it = new XorChunkIterator().reset(bytes, 0, bytes.length);
          while (it.next()) {
            samples.add(new double[] {it.atT(), it.atV()});
          }
        }
      }
      if (samples.size() >= 3) {
        assertEquals(1, served.size());
        assertEquals("prometheus", labels.get("job"));
        assertEquals("127.0.0.1:" + prometheus.port(), labels.get("instance"));
        assertEquals("eu", labels.get("cluster"));
        assertEquals("a", labels.get("replica"));
        double[] last = samples.get(samples.size() - 1);
        assertEquals(1.0, last[1]);
        long age = now - (long) last[0];
        assertTrue(age < 10_000, "last scrape " + age + " ms ago");
        return;
      }
      assertTrue(
          System.currentTimeMillis() < deadline, "no self-scraped samples:\n" + prometheus.log());
      Thread.sleep(500);
    }
  }

  @Test
  @Order(4)
  void labelNamesAndValuesComeFromPrometheusWithTheExternalLabels() {
    long start = T0 - 3_600_000;
    long end = T0 + 3 * 3_600_000;
    dev.strata.tier.storeapi.proto.LabelMatcher seededOnly =
        dev.strata.tier.storeapi.proto.LabelMatcher.newBuilder()
            .setType(dev.strata.tier.storeapi.proto.LabelMatcher.Type.RE)
            .setName("__name__")
            .setValue("seeded_.*")
            .build();
    assertEquals(
        List.of("__name__", "cluster", "host", "replica"),
        store
            .labelNames(
                LabelNamesRequest.newBuilder()
                    .setStart(start)
                    .setEnd(end)
                    .addMatchers(seededOnly)
                    .build())
            .getNamesList());
    assertEquals(List.of("a", "b"), labelValues("host", start, end, seededOnly));
    assertEquals(
        List.of("seeded_gauge", "seeded_total"), labelValues("__name__", start, end, seededOnly));
    assertEquals(List.of("eu"), labelValues("cluster", start, end, seededOnly));
  }

  @Test
  @Order(5)
  void skipChunksServesLabelsOnly() {
    Map<Labels, List<AggrChunk>> served =
        series(T0, T0 + 3_600_000, true, LabelMatcher.equal("__name__", "seeded_gauge"));
    assertEquals(
        List.of(
            withExternal(Labels.of("__name__", "seeded_gauge", "host", "a")),
            withExternal(Labels.of("__name__", "seeded_gauge", "host", "b"))),
        new ArrayList<>(served.keySet()));
    served.values().forEach(chunks -> assertEquals(List.of(), chunks));
  }

  @Test
  @Order(6)
  void aRequestPrometheusRejectsCarriesItsStatusAndError() {
    PrometheusStatusException e =
        assertThrows(
            PrometheusStatusException.class,
            () -> client.series(T0, T0 + 1000, List.of(LabelMatcher.regex("host", ".*"))));
    assertEquals(400, e.statusCode());
    String expected =
        "POST /api/v1/series on prometheus at " + prometheus.baseUri() + ": answered HTTP 400: ";
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    assertTrue(e.error().contains("non-empty matcher"), e.error());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void withPrometheusStoppedSeriesFailsAsUnavailableNamingPrometheus() throws Exception {
    prometheus.close();
    assertFalse(prometheus.isAlive());
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> series(T0, T0 + 1000, false, LabelMatcher.equal("__name__", "up")));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    String expected =
        "prometheus at " + prometheus.baseUri() + " is not reachable: POST /api/v1/read: ";
    assertTrue(
        e.getStatus().getDescription().contains(expected), e.getStatus().getDescription());
    StatusRuntimeException names =
        assertThrows(
            StatusRuntimeException.class,
            () -> store.labelNames(LabelNamesRequest.newBuilder().setEnd(T0).build()));
    assertEquals(Status.Code.UNAVAILABLE, names.getStatus().getCode());
  }

  /** Series from the StoreAPI by served labels, in the order sent, their chunks joined. */
  private Map<Labels, List<AggrChunk>> series(
      long mint, long maxt, boolean skipChunks, LabelMatcher... matchers) {
    SeriesRequest.Builder request =
        SeriesRequest.newBuilder().setMinTime(mint).setMaxTime(maxt).setSkipChunks(skipChunks);
    for (LabelMatcher m : matchers) {
      // Strata's match types are in the StoreAPI's order.
      request.addMatchers(
          dev.strata.tier.storeapi.proto.LabelMatcher.newBuilder()
              .setTypeValue(m.type().ordinal())
              .setName(m.name())
              .setValue(m.value()));
    }
    Map<Labels, List<AggrChunk>> out = new LinkedHashMap<>();
    store
        .series(request.build())
        .forEachRemaining(
            (SeriesResponse r) -> {
              Labels.Builder b = Labels.builder();
              r.getSeries().getLabelsList().forEach(l -> b.set(l.getName(), l.getValue()));
              out.computeIfAbsent(b.build(), k -> new ArrayList<>())
                  .addAll(r.getSeries().getChunksList());
            });
    return out;
  }

  private List<String> labelValues(
      String name, long start, long end, dev.strata.tier.storeapi.proto.LabelMatcher matcher) {
    return store
        .labelValues(
            LabelValuesRequest.newBuilder()
                .setLabel(name)
                .setStart(start)
                .setEnd(end)
                .addMatchers(matcher)
                .build())
        .getValuesList();
  }

  /** Two gauges (one with NaN and infinities) and a counter, every 15 s from T0. */
  private String seed() {
    StringBuilder om = new StringBuilder();
    String[][] series = {{"seeded_gauge", "a"}, {"seeded_gauge", "b"}, {"seeded_total", "a"}};
    om.append("# TYPE seeded_gauge gauge\n");
    for (String[] s : series) {
      if (s[0].equals("seeded_total")) {
        om.append("# TYPE seeded counter\n");
      }
      List<double[]> samples = new ArrayList<>();
      double counter = 0;
      for (int i = 0; i < SAMPLES; i++) {
        long t = T0 + i * STEP + (i % 7 == 3 ? 1 : 0); // a few irregular timestamps
        double v =
            switch (s[0] + s[1]) {
              case "seeded_gauge" + "a" -> i * 0.5 - 20;
              case "seeded_gauge" + "b" ->
                  i == 10 ? Double.NaN : i == 11 ? Double.POSITIVE_INFINITY : Math.sin(i) * 1e6;
              default -> counter += i % 5;
            };
        samples.add(new double[] {t, v});
        om.append(s[0]).append("{host=\"").append(s[1]).append("\"} ")
            .append(GoFloatFormat.format(v)).append(' ')
            .append(t / 1000).append('.').append(String.format("%03d", t % 1000)).append('\n');
      }
      seeded.put(Labels.of("__name__", s[0], "host", s[1]), samples);
    }
    return om.append("# EOF\n").toString();
  }

  private static Labels withExternal(Labels series) {
    Labels.Builder b = series.toBuilder();
    EXTERNAL.forEach(b::set);
    return b.build();
  }

  private static LabelMatcher regex(String name, String value) {
    return LabelMatcher.regex(name, value);
  }

  private static void assertSameSamples(List<double[]> expected, List<double[]> read, Labels l) {
    assertEquals(expected.size(), read.size(), l.toString());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i)[0], read.get(i)[0], l + " sample " + i);
      // Exact values; a NaN equals any NaN (Prometheus parses "NaN" to its own bits).
      assertEquals(expected.get(i)[1], read.get(i)[1], l + " sample " + i);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
