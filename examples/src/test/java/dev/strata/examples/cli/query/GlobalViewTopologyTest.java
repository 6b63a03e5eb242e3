package dev.strata.examples.cli.query;

import static dev.strata.examples.cli.query.ApiAnswers.query;
import static dev.strata.examples.cli.query.ApiAnswers.results;
import static dev.strata.examples.cli.query.ApiAnswers.samples;
import static dev.strata.examples.cli.query.ApiAnswers.seconds;
import static dev.strata.examples.cli.query.ApiAnswers.series;
import static dev.strata.examples.cli.query.ApiAnswers.withLabels;
import static dev.strata.examples.cli.query.GridTarget.COUNTER;
import static dev.strata.examples.cli.query.GridTarget.GAUGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.examples.cli.StrataCli;
import dev.strata.examples.cli.StrataCommand;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.TsdbStoreSource;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.testing.ChildJvm;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.PrometheusServer;
import dev.strata.tsdb.testing.Promtool;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongToDoubleFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global view of the seed's deployment on loopback, every piece real: two Prometheus 2.42
 * servers as HA replicas ({@code cluster="c1"}, {@code replica="a"|"b"}) scraping one target and
 * themselves every second, a {@code strata sidecar} beside each, a bucket on S3Proxy holding their
 * past of three days ago (raw 2h blocks and their 5m versions), one {@code strata store} over it,
 * and one {@code strata query} finding the others in a file_sd file rendered as the Nomad job's
 * Consul template renders it. Checked through the querier's HTTP API against what Prometheus
 * answers itself.
 *
 * <p>The target exposes its samples with timestamps on a 5 s grid ({@link GridTarget}), so both
 * replicas store exactly the same samples although they scrape at different moments: every
 * deduplicated answer then has one right value whichever replica the penalty algorithm follows,
 * and can be compared for equality with either Prometheus. The tests that stop or change
 * components run last.
 */
@Interop
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GlobalViewTopologyTest {
  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;
  private static final long OLD_STEP = 15_000;
  private static final int OLD_BLOCKS = 2;
  private static final String BUCKET = "topology";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static LocalS3Server s3;
  static GridTarget target;
  static Path bucketConfig;
  static ConsulTemplateTargets sdFile;
  static final Map<String, Replica> replicas = new LinkedHashMap<>();
  static ServerProcess store;
  static String storeAddress;
  static ServerProcess query;
  static URI querier;
  /** Start of the bucket's data: three days ago, on a block boundary. */
  static long oldStart;
  /** A grid point some 30 s into the live data, which both replicas have scraped. */
  static long evalTime;

  /** One Prometheus replica and the sidecar beside it. */
  static final class Replica {
    final String name;
    final Path data;
    /** Prometheus's port, chosen before it starts so that its sidecar can start first. */
    final int port;
    PrometheusServer prometheus;
    ServerProcess sidecar;
    String grpcAddress;

    Replica(String name, int port) {
      this.name = name;
      this.data = tmp.resolve("prometheus-" + name + "-data");
      this.port = port;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3Server.inMemory();
    bucketConfig = tmp.resolve("bucket.yml");
    Files.writeString(bucketConfig, "type: S3\nconfig:\n  bucket: " + BUCKET + "\n  endpoint: "
        + s3.endpoint().getAuthority() + "\n  insecure: true\n  access_key: "
        + LocalS3Server.ACCESS_KEY + "\n  secret_key: " + LocalS3Server.SECRET_KEY + "\n");
    BucketBlocks blocks = new BucketBlocks(s3.bucket(BUCKET)); // before the store opens it
    target = GridTarget.start();
    for (String name : List.of("a", "b")) {
      replicas.put(name, new Replica(name, freePort()));
    }

    // The JVMs start first, side by side, as the job's tasks start together: each sidecar waits
    // for its Prometheus, the store finds the blocks at its next sync, and the querier finds no
    // endpoint until the template renders the services' addresses.
    sdFile = new ConsulTemplateTargets(tmp.resolve("targets.yml"));
    sdFile.render(List.of(), List.of());
    query = ServerProcess.start("strata query", ChildJvm.command(tmp.resolve("child-tmp"),
        StrataCommand.class, "query", "--http-address=127.0.0.1:0",
        "--grpc-address=127.0.0.1:0", "--store.sd-files=" + sdFile.file(),
        "--query.replica-label=replica"), tmp.resolve("query.log"));
    store = ServerProcess.start("strata store", ChildJvm.command(tmp.resolve("child-tmp"),
        StrataCommand.class, "store", "--objstore.config-file=" + bucketConfig,
        "--data-dir=" + tmp.resolve("store-data"), "--grpc-address=127.0.0.1:0",
        "--http-address=127.0.0.1:0", "--sync-block-duration=1s"), tmp.resolve("store.log"));
    for (Replica r : replicas.values()) {
      r.sidecar = startSidecar(r);
    }

    oldStart = Math.floorDiv(System.currentTimeMillis(), BackfilledBlocks.BLOCK)
        * BackfilledBlocks.BLOCK - 72 * HOUR;
    Map<Labels, LongToDoubleFunction> past = Map.of(
        targetSeries(COUNTER, "path", "/api"), GridTarget::counter,
        targetSeries(GAUGE), GridTarget::gauge);
    for (Replica r : replicas.values()) {
      BackfilledBlocks.upload(blocks, Map.of("cluster", "c1", "replica", r.name), past, oldStart,
          OLD_BLOCKS, OLD_STEP, tmp.resolve("raw-" + r.name), tmp.resolve("5m-" + r.name));
    }
    for (Replica r : replicas.values()) {
      r.prometheus = startPrometheus(r);
    }
    evalTime = target.begin(1_000) + 30_000;

    for (Replica r : replicas.values()) {
      awaitSidecar(r);
    }
    storeAddress = "127.0.0.1:" + store.awaitGrpcPort("strata store: ");
    store.awaitReady(URI.create("http://127.0.0.1:" + store.awaitPort("strata store: ")), HTTP);
    querier = URI.create("http://127.0.0.1:" + query.awaitPort("strata query: "));
    query.awaitReady(querier, HTTP);
    sdFile.render(sidecarAddresses(), List.of(storeAddress));
    for (String address : sidecarAddresses()) {
      awaitStore(address, healthy());
    }
    // The store's announcement covers both replicas' blocks once it has synced them.
    awaitStore(storeAddress, s -> healthy().test(s) && s.path("labelSets").size() == 2
        && s.path("minTime").asLong() == oldStart);
    awaitScraped(evalTime);
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {query, store}) {
      if (c != null) {
        c.close();
      }
    }
    for (Replica r : replicas.values()) {
      if (r.sidecar != null) {
        r.sidecar.close();
      }
      if (r.prometheus != null) {
        r.prometheus.close();
      }
    }
    if (target != null) {
      target.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static Labels targetSeries(String metric, String... labels) {
    Labels.Builder b = Labels.builder().set("__name__", metric)
        .set("instance", target.address()).set("job", "target");
    for (int i = 0; i < labels.length; i += 2) {
      b.set(labels[i], labels[i + 1]);
    }
    return b.build();
  }

  private static PrometheusServer startPrometheus(Replica r) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("prometheus-" + r.name));
    return PrometheusServer.start(work, r.data, port -> "global:\n  scrape_interval: 1s\n"
            + "  scrape_timeout: 1s\n"
            + "  external_labels:\n    cluster: c1\n    replica: " + r.name + "\n"
            + "scrape_configs:\n"
            + "  - job_name: prometheus\n    static_configs:\n"
            + "      - targets: ['127.0.0.1:" + port + "']\n"
            + "  - job_name: target\n    static_configs:\n"
            + "      - targets: ['" + target.address() + "']\n",
        r.port, List.of("--storage.tsdb.min-block-duration=2h",
            "--storage.tsdb.max-block-duration=2h"));
  }

  /** Starts the sidecar of {@code r}, which waits for its Prometheus if that is not up yet. */
  private static ServerProcess startSidecar(Replica r) throws Exception {
    return ServerProcess.start("strata sidecar " + r.name, ChildJvm.command(
            tmp.resolve("child-tmp"), StrataCommand.class, "sidecar", "--tsdb.path=" + r.data,
            "--prometheus.url=http://127.0.0.1:" + r.port, "--objstore.config-file=" + bucketConfig,
            "--grpc-address=127.0.0.1:0", "--http-address=127.0.0.1:0"),
        tmp.resolve("sidecar-" + r.name + ".log"));
  }

  private static void awaitSidecar(Replica r) throws Exception {
    r.grpcAddress = "127.0.0.1:" + r.sidecar.awaitGrpcPort("strata sidecar: ");
    r.sidecar.awaitReady(
        URI.create("http://127.0.0.1:" + r.sidecar.awaitPort("strata sidecar: ")), HTTP);
  }

  private static List<String> sidecarAddresses() {
    return replicas.values().stream().map(r -> r.grpcAddress).toList();
  }

  private static List<String> allAddresses() {
    List<String> all = new ArrayList<>(sidecarAddresses());
    all.add(storeAddress);
    return all;
  }

  /** Waits until both replicas have scraped the grid point {@code t}. */
  private static void awaitScraped(long t) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    for (Replica r : replicas.values()) {
      while (true) {
        var answer = results(api(r.prometheus.baseUri(), "/api/v1/query",
            "query", "timestamp(" + COUNTER + ")", "time", seconds(t)));
        if (answer.values().stream().anyMatch(v -> v.equals(List.of(seconds(t))))) {
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("replica " + r.name + " has not scraped " + t + ": " + answer
              + "\n" + r.prometheus.log());
        }
        Thread.sleep(200);
      }
    }
  }

  private static Predicate<JsonNode> healthy() {
    return s -> s.path("lastError").isNull();
  }

  /** The entry of {@code /api/v1/stores} naming {@code address}, or null. */
  private static JsonNode storeStatus(String address) throws Exception {
    for (JsonNode byType : api(querier, "/api/v1/stores").path("data")) {
      for (JsonNode s : byType) {
        if (s.path("name").asText().equals(address)) {
          return s;
        }
      }
    }
    return null;
  }

  /** Waits until {@code /api/v1/stores} lists {@code address} in a state {@code test} accepts. */
  private static JsonNode awaitStore(String address, Predicate<JsonNode> test) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = storeStatus(address);
      if (last != null && test.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(address + " not listed as expected: " + last + "\n" + query.log());
  }

  private static HttpResponse<String> get(URI base, String pathAndQuery) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET {@code path} with parameters given as name, value, ...; the answer must be 200. */
  private static JsonNode api(URI base, String path, String... params) throws Exception {
    HttpResponse<String> r = get(base, path + query(params));
    assertEquals(200, r.statusCode(), base + path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private static JsonNode global(String path, String... params) throws Exception {
    return api(querier, path, params);
  }

  private static JsonNode prometheus(String replica, String path, String... params)
      throws Exception {
    return api(replicas.get(replica).prometheus.baseUri(), path, params);
  }

  @Test
  @Order(1)
  void deduplicatedInstantQueriesEqualPrometheusOwnAnswers() throws Exception {
    for (String q : List.of(COUNTER, GAUGE, "up{job=\"target\"}",
        "rate(" + COUNTER + "[30s])")) {
      // One series per replica pair, with the producer's external labels but the replica label.
      assertSameAsPrometheus(q, "cluster", "c1");
    }
    for (String q : List.of("sum by (job) (" + COUNTER + ")",
        "sum by (job) (rate(" + COUNTER + "[30s]))", "max(" + GAUGE + ")")) {
      assertSameAsPrometheus(q);
    }
    // Deduplication merges only series that differ in the replica label alone: each replica's
    // scrape of itself is a series of its own (its instance differs).
    assertEquals(Map.of(series("job", "prometheus"), List.of("2"), series("job", "target"),
            List.of("1")),
        results(global("/api/v1/query", "query", "count by (job) (up)",
            "time", seconds(evalTime))));
  }

  /**
   * Asks {@code q} at {@code evalTime} of both replicas and of the querier: the replicas agree,
   * and the querier's deduplicated answer is theirs with {@code externalLabels} added.
   */
  private static void assertSameAsPrometheus(String q, String... externalLabels)
      throws Exception {
    String at = seconds(evalTime);
    var own = results(prometheus("a", "/api/v1/query", "query", q, "time", at));
    assertFalse(own.isEmpty(), q);
    assertEquals(own, results(prometheus("b", "/api/v1/query", "query", q, "time", at)),
        q + ": both replicas hold the same samples");
    assertEquals(withLabels(own, externalLabels),
        results(global("/api/v1/query", "query", q, "time", at)), q);
  }

  @Test
  @Order(2)
  void withoutDedupBothReplicasAreShown() throws Exception {
    String at = seconds(evalTime);
    Map<Map<String, String>, List<String>> expected = new LinkedHashMap<>();
    for (String replica : replicas.keySet()) {
      expected.putAll(withLabels(results(prometheus(replica, "/api/v1/query", "query", COUNTER,
          "time", at)), "cluster", "c1", "replica", replica));
    }
    assertEquals(2, expected.size());
    assertEquals(expected, results(global("/api/v1/query", "query", COUNTER, "time", at,
        "dedup", "false")));
    assertEquals(Map.of(series("job", "prometheus"), List.of("2"), series("job", "target"),
            List.of("2")),
        results(global("/api/v1/query", "query", "count by (job) (up)", "time", at,
            "dedup", "false")));
  }

  /**
   * Samples per 10-minute window from the bucket's first block to the live data: the counts
   * equal the bucket's samples (every 15 s, one replica's) where the windows cover its blocks and
   * Prometheus's own counts where they cover the live data, so nothing is missing or counted
   * twice across replicas, stores and the bucket-to-head boundary.
   */
  @Test
  @Order(3)
  void aRangeQueryFromTheBucketIntoTheHeadHasEverySampleOnce() throws Exception {
    long step = 10 * MINUTE;
    // A millisecond after a grid point, so that no window edge falls on a sample and the counts
    // do not depend on whether a range includes its start; the last window ends with evalTime's
    // sample, which both replicas are known to have.
    long end = evalTime + 1;
    long start = end - (end - oldStart) / step * step;
    String[] range = {"query", "count_over_time(" + COUNTER + "[10m])", "start", seconds(start),
        "end", seconds(end), "step", "600"};
    var live = samples(prometheus("a", "/api/v1/query_range", range));
    assertEquals(live, samples(prometheus("b", "/api/v1/query_range", range)));
    assertEquals(1, live.size(), live.toString());
    TreeMap<Long, Double> expected = new TreeMap<>(live.values().iterator().next());
    double liveSamples = expected.values().stream().mapToDouble(Double::doubleValue).sum();
    assertTrue(liveSamples >= 6, "some live data: " + expected);
    long oldEnd = oldStart + OLD_BLOCKS * BackfilledBlocks.BLOCK;
    for (long t = start; t <= end; t += step) {
      long inWindow = 0;
      for (long s = oldStart; s < oldEnd; s += OLD_STEP) {
        if (s > t - step && s <= t) {
          inWindow++;
        }
      }
      if (inWindow > 0) {
        expected.merge(t, (double) inWindow, Double::sum);
      }
    }

    var deduplicated = samples(global("/api/v1/query_range", range));
    assertEquals(List.of(series("cluster", "c1", "instance", target.address(), "job", "target",
        "path", "/api")), new ArrayList<>(deduplicated.keySet()));
    TreeMap<Long, Double> counts = deduplicated.values().iterator().next();
    assertEquals(expected, counts);
    assertEquals(OLD_BLOCKS * BackfilledBlocks.BLOCK / OLD_STEP + liveSamples,
        counts.values().stream().mapToDouble(Double::doubleValue).sum());

    // Each replica alone has them all too: deduplication dropped copies, not samples.
    var apart = samples(global("/api/v1/query_range", append(range, "dedup", "false")));
    assertEquals(2, apart.size(), apart.keySet().toString());
    apart.values().forEach(c -> assertEquals(expected, c));

    // The series API over the same span: one series from the bucket's and the sidecars' four.
    String[] span = {"match[]", COUNTER, "start", seconds(start), "end", seconds(end)};
    assertEquals(JSON.readTree("[{\"__name__\":\"" + COUNTER + "\",\"cluster\":\"c1\","
            + "\"instance\":\"" + target.address() + "\",\"job\":\"target\","
            + "\"path\":\"/api\"}]"),
        global("/api/v1/series", span).path("data"));
    assertEquals(2, global("/api/v1/series", append(span, "dedup", "false")).path("data").size());
  }

  /**
   * {@code max_source_resolution=5m} over the bucket's range reads the 5m blocks, as Thanos reads
   * them: {@code count_over_time} counts the 5-minute windows (the count aggregate's samples),
   * {@code sum_over_time} adds the windows' sums, {@code max_over_time} takes the largest of
   * their maxima, and a plain selector is each window's average (sum / count). The expected
   * values are the aggregates in replica a's 5m blocks, as {@code strata tsdb dump} reads them.
   */
  @Test
  @Order(4)
  void fiveMinuteResolutionReadsTheDownsampledBlocks() throws Exception {
    Map<String, TreeMap<Long, Double>> aggregates = new TreeMap<>();
    for (String aggregate : List.of("count", "sum", "max")) {
      aggregates.put(aggregate, dumpedAggregate(aggregate));
    }
    assertEquals(OLD_BLOCKS * 24, aggregates.get("count").size(), "a window every 5 minutes");

    long at = oldStart + 2 * HOUR - 10_000; // between the first block's last sample and its end
    String time = seconds(at);
    var windows = aggregates.get("count").subMap(at - HOUR, true, at, true).keySet();
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (long w : windows) {
      sum += aggregates.get("sum").get(w);
      max = Math.max(max, aggregates.get("max").get(w));
    }
    Map<String, String> labels =
        series("cluster", "c1", "instance", target.address(), "job", "target", "path", "/api");
    assertEquals(Map.of(labels, List.of(Integer.toString(windows.size()))),
        results(global("/api/v1/query", "query", "count_over_time(" + COUNTER + "[1h])",
            "time", time, "max_source_resolution", "5m")));
    assertEquals(Map.of(labels, List.of("240")),
        results(global("/api/v1/query", "query", "count_over_time(" + COUNTER + "[1h])",
            "time", time)), "raw data: a sample every 15 s");
    assertEquals(sum, single(global("/api/v1/query", "query",
        "sum_over_time(" + COUNTER + "[1h])", "time", time, "max_source_resolution", "5m")));
    assertEquals(max, single(global("/api/v1/query", "query",
        "max_over_time(" + COUNTER + "[1h])", "time", time, "max_source_resolution", "5m")));

    // Half-way between windows' stamps, a step sees the window that ended 2.5 minutes earlier.
    long first = oldStart + 150_000;
    long last = oldStart + OLD_BLOCKS * BackfilledBlocks.BLOCK + 150_000;
    TreeMap<Long, Double> averages = new TreeMap<>();
    for (long t = first; t <= last; t += 5 * MINUTE) {
      Map.Entry<Long, Double> w = aggregates.get("count").floorEntry(t);
      if (w != null && t - w.getKey() <= 5 * MINUTE) {
        averages.put(t, aggregates.get("sum").get(w.getKey()) / w.getValue());
      }
    }
    assertEquals(OLD_BLOCKS * 24, averages.size());
    var answer = samples(global("/api/v1/query_range", "query", COUNTER, "start", seconds(first),
        "end", seconds(last), "step", "300", "max_source_resolution", "5m"));
    Map<String, String> named = new TreeMap<>(labels);
    named.put("__name__", COUNTER);
    assertEquals(Map.of(named, averages), answer);
  }

  /** One aggregate of the counter in replica a's 5m blocks: window stamp to value. */
  private static TreeMap<Long, Double> dumpedAggregate(String aggregate) {
    TreeMap<Long, Double> out = new TreeMap<>();
    String dump = StrataCli.run("tsdb", "dump", "--aggregate=" + aggregate,
        "--match={__name__=\"" + COUNTER + "\"}", tmp.resolve("5m-a").toString())
        .assertSuccess().stdout();
    for (String line : dump.lines().toList()) {
      String[] f = line.substring(line.lastIndexOf('}') + 2).split(" ");
      out.put(Long.parseLong(f[1]), Double.parseDouble(f[0]));
    }
    return out;
  }

  /** The value of an instant query's only series. */
  private static double single(JsonNode answer) {
    var r = results(answer);
    assertEquals(1, r.size(), answer.toString());
    return Double.parseDouble(r.values().iterator().next().get(0));
  }

  private static String[] append(String[] params, String... more) {
    String[] out = java.util.Arrays.copyOf(params, params.length + more.length);
    System.arraycopy(more, 0, out, params.length, more.length);
    return out;
  }

  @Test
  @Order(5)
  void promtoolQueriesTheQuerier() throws Exception {
    String own = results(prometheus("a", "/api/v1/query", "query", COUNTER,
        "time", seconds(evalTime))).values().iterator().next().get(0);
    String out = Promtool.run(tmp, "query", "instant", "--time=" + seconds(evalTime),
        querier.toString(), COUNTER).assertSuccess().stdout().strip();
    assertTrue(out.startsWith(COUNTER + "{cluster=\"c1\", instance=\"" + target.address()
        + "\", job=\"target\", path=\"/api\"} => " + own + " @["), out);
    assertEquals(1, out.lines().count(), out);
  }

  /** Started side by side, before Prometheus, as a Nomad group's tasks start: nothing to report. */
  @Test
  @Order(6)
  void theComponentsStartedTogetherLogNoError() {
    List<ServerProcess> all = new ArrayList<>(List.of(query, store));
    replicas.values().forEach(r -> all.add(r.sidecar));
    for (ServerProcess p : all) {
      assertFalse(p.log().contains(" ERROR "), p.name() + ":\n" + p.log());
    }
  }

  @Test
  @Order(7)
  void editingTheSdFileAddsAndRemovesAnEndpointWithinSeconds() throws Exception {
    JsonNode byType = global("/api/v1/stores").path("data");
    assertEquals(2, byType.path("sidecar").size(), byType.toString());
    assertEquals(1, byType.path("store").size(), byType.toString());
    try (Tsdb db = TestTsdb.open(tmp.resolve("extra"))) {
      Appender app = db.appender();
      app.append(Labels.of("__name__", "topo_extra_total", "job", "extra"), evalTime - 10_000, 7);
      app.commit();
      try (StoreApiServer extra = StoreApiServer.builder(new InetSocketAddress("127.0.0.1", 0),
          new TsdbStoreSource(db, Labels.of("cluster", "c2"))).start()) {
        String address = "127.0.0.1:" + extra.port();
        long written = System.nanoTime();
        sdFile.render(sidecarAddresses(), List.of(storeAddress, address));
        awaitStore(address, healthy());
        assertTrue(System.nanoTime() - written < 10_000_000_000L, "listed within seconds");
        assertEquals(Map.of(series("__name__", "topo_extra_total", "cluster", "c2", "job", "extra"),
                List.of("7")),
            results(global("/api/v1/query", "query", "topo_extra_total",
                "time", seconds(evalTime))));

        written = System.nanoTime();
        sdFile.render(sidecarAddresses(), List.of(storeAddress));
        awaitGone(address);
        assertTrue(System.nanoTime() - written < 10_000_000_000L, "dropped within seconds");
        assertEquals(Map.of(), results(global("/api/v1/query", "query", "topo_extra_total",
            "time", seconds(evalTime))));
      }
    }
    for (String address : allAddresses()) {
      assertTrue(healthy().test(storeStatus(address)), address);
    }
  }

  private static void awaitGone(String address) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (storeStatus(address) != null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(address + " still listed\n" + query.log());
      }
      Thread.sleep(50);
    }
  }

  /**
   * A sidecar killed (SIGKILL) is still queried until the querier's next check of it (every 5 s):
   * meanwhile a query answers from the other replica with a warning naming it, and fails without
   * partial response. Once the check has failed, it is left out of queries, as Thanos v0.34 does
   * (an endpoint is queryable only while its last Info call succeeded): the other replica
   * answers alone, without a warning, and partial_response=false succeeds. Runs last: the
   * sidecar stays down.
   */
  @Test
  @Order(8)
  void aKilledSidecarIsAWarningUntilItsCheckFailsThenLeftOut() throws Exception {
    Replica b = replicas.get("b");
    String address = b.grpcAddress;
    String at = seconds(evalTime);
    var expected = withLabels(
        results(prometheus("a", "/api/v1/query", "query", COUNTER, "time", at)), "cluster", "c1");
    // Killed right after a check, so that the queries below run well before the next one.
    String checked = storeStatus(address).path("lastCheck").asText();
    awaitStore(address, s -> !s.path("lastCheck").asText().equals(checked));
    b.sidecar.kill();

    JsonNode partial = global("/api/v1/query", "query", COUNTER, "time", at);
    HttpResponse<String> whole = get(querier, "/api/v1/query" + query("query", COUNTER,
        "time", at, "partial_response", "false"));
    assertTrue(healthy().test(storeStatus(address)), "not checked since the kill");

    assertEquals(expected, results(partial));
    assertEquals(1, partial.path("warnings").size(), partial.toString());
    assertTrue(partial.path("warnings").get(0).asText().contains(address), partial.toString());
    assertTrue(whole.statusCode() >= 400, whole.statusCode() + " " + whole.body());
    assertEquals("error", JSON.readTree(whole.body()).path("status").asText(), whole.body());
    assertTrue(whole.body().contains(address), whole.body());

    JsonNode down = awaitStore(address, s -> !s.path("lastError").isNull());
    assertTrue(down.path("lastError").asText().contains(address), down.toString());
    JsonNode alone = global("/api/v1/query", "query", COUNTER, "time", at,
        "partial_response", "false");
    assertEquals(expected, results(alone));
    assertTrue(alone.path("warnings").isMissingNode() || alone.path("warnings").isEmpty(),
        alone.toString());
  }
}
