package dev.strata.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.TsdbStoreSource;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's last part: the global view over what it built, as an operator runs it. The live
 * database is served over the StoreAPI from this process (an application embedding Strata is its
 * own sidecar), {@code strata store} serves the bucket and {@code strata query} queries both; the
 * two servers run as child processes with their logs in the data directory. A few PromQL queries
 * through the querier's HTTP API then read across the bucket and the database, one of them from
 * the bucket's 5-minute aggregates.
 */
final class DemoGlobalView implements AutoCloseable {
  /** The servers' logs, the bucket configuration and the store gateway's cache, in the data dir. */
  static final String DIR = "global-view";

  private static final long HOUR = 3_600_000;
  private static final Duration STORES_UP = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final Path dataDir;
  private final Path objstoreConfig; // null: the filesystem bucket at bucketDir
  private final Path bucketDir;
  private final Map<String, String> externalLabels;
  private final String httpAddress;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AutoCloseable> running = new ArrayList<>();
  private ServerProcess store;
  private URI storeHttp;
  private URI query;

  DemoGlobalView(PrintWriter out, Path dataDir, Path objstoreConfig, Path bucketDir,
      Map<String, String> externalLabels, String httpAddress) {
    this.out = out;
    this.dataDir = dataDir;
    this.objstoreConfig = objstoreConfig;
    this.bucketDir = bucketDir;
    this.externalLabels = externalLabels;
    this.httpAddress = httpAddress;
  }

  /** Starts the servers and waits until the querier sees both stores healthy. */
  void start() throws Exception {
    long started = System.nanoTime();
    Path dir = Files.createDirectories(dataDir.resolve(DIR));
    Tsdb db = Tsdb.open(dataDir, TsdbOptions.defaults());
    running.add(db);
    StoreApiServer live = StoreApiServer.builder(new InetSocketAddress("127.0.0.1", 0),
        new TsdbStoreSource(db, Labels.fromMap(externalLabels))).start();
    running.add(live);

    store = child("strata store", dir.resolve("store.log"), "store",
        "--objstore.config-file=" + bucketConfig(dir), "--data-dir=" + dir.resolve("store-cache"),
        "--grpc-address=127.0.0.1:0", "--http-address=127.0.0.1:0");
    storeHttp = URI.create("http://127.0.0.1:" + store.awaitPort("strata store: "));
    String storeGrpc = "127.0.0.1:" + store.awaitGrpcPort("strata store: ");
    String liveGrpc = "127.0.0.1:" + live.port();
    ServerProcess querier = child("strata query", dir.resolve("query.log"), "query",
        "--endpoint=" + liveGrpc, "--endpoint=" + storeGrpc, "--http-address=" + httpAddress,
        "--grpc-address=127.0.0.1:0");
    query = URI.create("http://127.0.0.1:" + querier.awaitPort("strata query: "));
    awaitHealthy(liveGrpc, storeGrpc);
    out.printf("%nglobal view up in %.1f s: strata query on %s over the database (StoreAPI on %s,"
            + " served by this process) and strata store on the bucket (%s); logs in %s%n",
        (System.nanoTime() - started) / 1e9, query, liveGrpc, storeGrpc, dir);
  }

  /** The querier's base address, once started. */
  URI queryAddress() {
    return query;
  }

  /**
   * PromQL through the querier's HTTP API: the head, the whole range across bucket and database
   * (every sample once), and a long range at raw and at automatic resolution.
   *
   * @param end the demo's last scrape time
   * @param scrapes how many scrapes each series had, from {@code end - days} on
   */
  void queries(long end, int days, int scrapes) throws Exception {
    out.println();
    String regions = "sum by (region) (rate(node_cpu_seconds_total{mode=\"user\"}[5m]))";
    out.printf("%s, now (from the head):%n", regions);
    for (JsonNode r : instant(regions, end).path("data").path("result")) {
      out.printf("  %s  %.3f%n", r.path("metric").path("region").asText(),
          r.path("value").get(1).asDouble());
    }

    String whole = "count_over_time(node_memory_MemAvailable_bytes{instance=\"node-000:9100\"}["
        + days + "d])";
    JsonNode counted = instant(whole, end).path("data").path("result");
    long samples = counted.size() == 1 ? counted.get(0).path("value").get(1).asLong() : -1;
    out.printf("%s: %,d samples, read across the bucket (older half) and the database (newer"
        + " half and head)%n", whole, samples);
    if (samples != scrapes) {
      throw new IllegalStateException("the querier counted " + samples + " samples of "
          + whole + ", the demo wrote " + scrapes + ": " + counted);
    }

    String traffic = "sum by (region) (rate(node_network_receive_bytes_total[1h]))";
    long start = end - days * 24 * HOUR;
    out.printf("%s over %d days, one point an hour:%n", traffic, days);
    Range raw = range(traffic, start, end, HOUR, "0s");
    Range auto = range(traffic, start, end, HOUR, "auto");
    out.printf("  raw data:                     %,d points in %.2f s, %,d bytes read from the"
        + " bucket%n", raw.points, raw.seconds, raw.bucketBytes);
    out.printf("  max_source_resolution=auto:   %,d points in %.2f s, %,d bytes read from the"
        + " bucket (5m aggregates); values within %.2f%% of raw%n", auto.points, auto.seconds,
        auto.bucketBytes, 100 * maxRelativeDifference(raw.values, auto.values));
  }

  /**
   * The Graph page of the querier's UI with {@code expr} over the last {@code days}, in
   * Prometheus's link format.
   */
  String graphLink(String expr, int days) {
    return query + "/graph?g0.expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
        + "&g0.tab=0&g0.range_input=" + days + "d";
  }

  /** Stops the querier, then the store gateway and the database's StoreAPI server. */
  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        out.printf("stopping %s failed: %s%n", running.get(i), e);
      }
    }
    running.clear();
  }

  private ServerProcess child(String name, Path log, String... args) throws IOException {
    ServerProcess p = ServerProcess.start(name,
        ServerProcess.javaCommand(StrataCommand.class.getName(), List.of(args)), log);
    running.add(p);
    return p;
  }

  // The demo's own filesystem bucket is described to the store gateway in Thanos's YAML.
  private Path bucketConfig(Path dir) throws IOException {
    if (objstoreConfig != null) {
      return objstoreConfig.toAbsolutePath();
    }
    Path config = dir.resolve("bucket.yml");
    Files.writeString(config, "type: FILESYSTEM\nconfig:\n  directory: '"
        + bucketDir.toAbsolutePath().toString().replace("'", "''") + "'\n");
    return config;
  }

  // Until /api/v1/stores lists every address without an error.
  private void awaitHealthy(String... addresses) throws Exception {
    long deadline = System.nanoTime() + STORES_UP.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = get(query.resolve("/api/v1/stores")).toString();
      int healthy = 0;
      for (JsonNode byType : JSON.readTree(last).path("data")) {
        for (JsonNode s : byType) {
          if (List.of(addresses).contains(s.path("name").asText())
              && s.path("lastError").isNull()) {
            healthy++;
          }
        }
      }
      if (healthy == addresses.length) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the querier did not see " + List.of(addresses)
        + " healthy within " + STORES_UP.toSeconds() + " s: " + last);
  }

  private JsonNode instant(String expr, long time) throws Exception {
    return api("/api/v1/query", Map.of("query", expr, "time", seconds(time)));
  }

  /** A range query's values by series and time, and what it cost. */
  private record Range(Map<String, Map<Long, Double>> values, int points, double seconds,
      long bucketBytes) {}

  private Range range(String expr, long start, long end, long step, String resolution)
      throws Exception {
    long bytesBefore = bucketBytesFetched();
    long t0 = System.nanoTime();
    JsonNode answer = api("/api/v1/query_range", Map.of("query", expr, "start", seconds(start),
        "end", seconds(end), "step", seconds(step), "max_source_resolution", resolution));
    double took = (System.nanoTime() - t0) / 1e9;
    Map<String, Map<Long, Double>> values = new TreeMap<>();
    int points = 0;
    for (JsonNode series : answer.path("data").path("result")) {
      Map<Long, Double> byTime = new TreeMap<>();
      for (JsonNode point : series.path("values")) {
        byTime.put(point.get(0).asLong(), point.get(1).asDouble());
        points++;
      }
      values.put(series.path("metric").toString(), byTime);
    }
    return new Range(values, points, took, bucketBytesFetched() - bytesBefore);
  }

  // Over the points both answers have.
  private static double maxRelativeDifference(Map<String, Map<Long, Double>> a,
      Map<String, Map<Long, Double>> b) {
    double max = 0;
    for (Map.Entry<String, Map<Long, Double>> series : a.entrySet()) {
      Map<Long, Double> other = b.getOrDefault(series.getKey(), Map.of());
      for (Map.Entry<Long, Double> p : series.getValue().entrySet()) {
        Double v = other.get(p.getKey());
        if (v != null && p.getValue() != 0) {
          max = Math.max(max, Math.abs(v - p.getValue()) / Math.abs(p.getValue()));
        }
      }
    }
    return max;
  }

  // The store gateway's own count of bytes read from the bucket, from its /metrics.
  private long bucketBytesFetched() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(storeHttp.resolve("/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString());
    long total = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("strata_bucket_fetched_bytes_total")) {
        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private JsonNode api(String path, Map<String, String> params) throws Exception {
    StringBuilder form = new StringBuilder();
    for (Map.Entry<String, String> p : params.entrySet()) {
      form.append(form.length() == 0 ? "" : "&").append(p.getKey()).append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    JsonNode answer = post(query.resolve(path), form.toString());
    if (!"success".equals(answer.path("status").asText())) {
      throw new IllegalStateException(path + " " + params + " failed: " + answer);
    }
    return answer;
  }

  private JsonNode get(URI uri) throws Exception {
    return JSON.readTree(http.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private JsonNode post(URI uri, String form) throws Exception {
    return JSON.readTree(http.send(HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private static String seconds(long ms) {
    return Double.toString(ms / 1000.0);
  }
}
