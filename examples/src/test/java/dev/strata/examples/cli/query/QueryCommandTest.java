package dev.strata.examples.cli.query;

import static dev.strata.examples.cli.query.ApiAnswers.query;
import static dev.strata.examples.cli.query.ApiAnswers.results;
import static dev.strata.examples.cli.query.ApiAnswers.series;
import static dev.strata.examples.cli.query.QueryFixture.SAMPLES;
import static dev.strata.examples.cli.query.QueryFixture.STEP;
import static dev.strata.examples.cli.query.QueryFixture.T0;
import static dev.strata.examples.cli.query.QueryFixture.address;
import static dev.strata.examples.cli.query.QueryFixture.seconds;
import static dev.strata.examples.cli.query.QuerierProcess.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.StoreClient;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata query} as a child process over two HA replicas of one producer, each a Strata
 * StoreAPI server in this JVM over a small database, listed in a file_sd file ({@link
 * QueryFixture}). Replica {@code a} misses ten minutes that replica {@code b} has. Checked through
 * the HTTP API as a client sees it, and with {@code promtool query}.
 */
@Interop
class QueryCommandTest {
  @TempDir static Path tmp;
  private static QueryFixture fixture;
  /** When set, replica b fails every StoreAPI call but Info, as a store whose data is away. */
  private static final AtomicBoolean bFailing = new AtomicBoolean();
  private static StoreApiServer a;
  private static StoreApiServer b;
  private static QuerierProcess query;
  private static String url;
  private static int grpcPort;

  @BeforeAll
  static void start() throws Exception {
    fixture = new QueryFixture(tmp);
    a = fixture.store("a", "c1", "a", "requests_total", 0, true, null);
    b = fixture.store("b", "c1", "b", "requests_total", 1, false, bFailing);
    fixture.writeTargets(a, b);
    query = fixture.startQuerier("", "--query.replica-label=replica");
    url = query.url();
    grpcPort = query.grpcPort();
    query.awaitStores(address(a), address(b));
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return query.get(pathAndQuery);
  }

  private static JsonNode api(String path, String... params) throws Exception {
    return query.api(path, params);
  }

  @Test
  void instantQueriesAreDeduplicatedUnlessAskedNotTo() throws Exception {
    String end = seconds(T0 + SAMPLES * STEP);
    String count = "count_over_time(requests_total[30m])";
    // Thanos's penalty algorithm starts from the replica whose chunk starts first, a (b starts
    // 15 s later). While on a, b is sought 30 s (twice the interval) past the last sample, so at
    // a's gap b takes over two samples late (the 21st and 22nd are lost), and keeps the rest.
    assertEquals(Map.of(series("cluster", "c1", "job", "api"), List.of("78")),
        results(api("/api/v1/query", "query", count, "time", end)));
    assertEquals(Map.of(series("cluster", "c1", "job", "api", "replica", "a"), List.of("40"),
            series("cluster", "c1", "job", "api", "replica", "b"), List.of("79")),
        results(api("/api/v1/query", "query", count, "time", end, "dedup", "false")));
    assertEquals(Map.of(series("__name__", "requests_total", "cluster", "c1", "job", "api"),
            List.of("79")),
        results(api("/api/v1/query", "query", "requests_total", "time", end)));
  }

  @Test
  void rangeQueriesFillOneReplicasGapFromTheOther() throws Exception {
    String[] range = {"query", "requests_total", "start", seconds(T0 + 6 * 60_000),
        "end", seconds(T0 + 14 * 60_000), "step", "60"};
    List<String> everyMinute = List.of("24", "28", "32", "36", "40", "44", "48", "52", "56");
    assertEquals(Map.of(series("__name__", "requests_total", "cluster", "c1", "job", "api"),
        everyMinute), results(api("/api/v1/query_range", range)));
    String[] apart = java.util.Arrays.copyOf(range, range.length + 2);
    apart[range.length] = "dedup";
    apart[range.length + 1] = "0";
    // Replica a's last sample before its gap (4m45s, 19) is seen for 5 minutes.
    assertEquals(Map.of(
            series("__name__", "requests_total", "cluster", "c1", "job", "api", "replica", "a"),
            List.of("19", "19", "19", "19"),
            series("__name__", "requests_total", "cluster", "c1", "job", "api", "replica", "b"),
            everyMinute),
        results(api("/api/v1/query_range", apart)));
  }

  @Test
  void replicaLabelsOfTheRequestReplaceTheFlags() throws Exception {
    JsonNode answer = api("/api/v1/query", "query", "requests_total",
        "time", seconds(T0 + SAMPLES * STEP), "replicaLabels[]", "cluster");
    assertEquals(List.of(
            series("__name__", "requests_total", "job", "api", "replica", "a"),
            series("__name__", "requests_total", "job", "api", "replica", "b")),
        new ArrayList<>(results(answer).keySet()));
  }

  @Test
  void storesLabelsAndSeries() throws Exception {
    JsonNode stores = api("/api/v1/stores");
    assertEquals("success", stores.path("status").asText());
    JsonNode sidecars = stores.path("data").path("sidecar");
    Map<String, JsonNode> byName = new TreeMap<>();
    sidecars.forEach(s -> byName.put(s.path("name").asText(), s));
    JsonNode first = byName.get(address(a));
    assertTrue(first.path("lastError").isNull(), first.toString());
    assertEquals(JSON.readTree("[{\"cluster\":\"c1\",\"replica\":\"a\"}]"), first.path("labelSets"));
    assertEquals(T0, first.path("minTime").asLong());
    assertTrue(first.path("lastCheck").asText().endsWith("Z"), first.toString());
    assertTrue(byName.containsKey(address(b)), stores.toString());

    String start = seconds(T0);
    String end = seconds(T0 + SAMPLES * STEP);
    List<String> names = new ArrayList<>();
    api("/api/v1/labels", "start", start, "end", end, "match[]", "requests_total")
        .path("data").forEach(n -> names.add(n.asText()));
    assertEquals(List.of("__name__", "cluster", "job", "replica"), names);
    JsonNode replicas = api("/api/v1/label/replica/values", "match[]", "requests_total");
    assertEquals(JSON.readTree("[\"a\",\"b\"]"), replicas.path("data"));
    JsonNode series = api("/api/v1/series", "match[]", "requests_total", "start", start,
        "end", end);
    assertEquals(JSON.readTree("[{\"__name__\":\"requests_total\",\"cluster\":\"c1\","
        + "\"job\":\"api\"}]"), series.path("data"));
    assertEquals(2, api("/api/v1/series", "match[]", "requests_total", "start", start,
        "end", end, "dedup", "false").path("data").size());
  }

  @Test
  void aFailingStoreIsAWarningWithPartialResponseAndAnErrorWithout() throws Exception {
    String end = seconds(T0 + SAMPLES * STEP);
    bFailing.set(true);
    try {
      JsonNode partial = api("/api/v1/query", "query", "count_over_time(requests_total[30m])",
          "time", end);
      // Replica a alone, with a warning naming b.
      assertEquals(Map.of(series("cluster", "c1", "job", "api"), List.of("40")), results(partial));
      assertEquals(1, partial.path("warnings").size(), partial.toString());
      assertTrue(partial.path("warnings").get(0).asText().contains(address(b)), partial.toString());

      HttpResponse<String> whole = get("/api/v1/query" + query("query", "requests_total",
          "time", end, "partial_response", "false"));
      assertTrue(whole.statusCode() >= 400, whole.statusCode() + " " + whole.body());
      assertTrue(whole.body().contains(address(b)), whole.body());
      assertEquals("error", JSON.readTree(whole.body()).path("status").asText());

      JsonNode labels = api("/api/v1/labels", "match[]", "requests_total");
      assertTrue(labels.path("warnings").get(0).asText().contains(address(b)), labels.toString());
    } finally {
      bFailing.set(false);
    }
  }

  @Test
  void aStoppedStoreIsLeftOutOnceItsCheckFails() throws Exception {
    String end = seconds(T0 + SAMPLES * STEP);
    String address = address(b);
    Tsdb db = fixture.db(b);
    fixture.stop(b);
    try {
      JsonNode down = query.awaitStore(address, s -> !s.path("lastError").isNull());
      assertTrue(down.path("lastError").asText().length() > 0, down.toString());
      // No longer queried: replica a answers alone, even without partial response.
      assertEquals(Map.of(series("cluster", "c1", "job", "api"), List.of("40")),
          results(api("/api/v1/query", "query", "count_over_time(requests_total[30m])",
              "time", end, "partial_response", "false")));
    } finally {
      b = fixture.serve(db, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)),
          Labels.of("cluster", "c1", "replica", "b"), bFailing);
      query.awaitStores(address);
    }
  }

  @Test
  void probesAndMetrics() throws Exception {
    assertEquals(200, get("/-/healthy").statusCode());
    assertEquals(200, get("/-/ready").statusCode());
    api("/api/v1/query", "query", "1");
    String metrics = get("/metrics").body();
    assertTrue(metrics.contains("http_requests_total{"), metrics);
    assertTrue(metrics.contains("jvm_"), metrics);
    JsonNode flags = api("/api/v1/status/flags").path("data");
    assertEquals("true", flags.path("query.partial-response").asText(), flags.toString());
    assertEquals("[replica]", flags.path("query.replica-label").asText(), flags.toString());
  }

  @Test
  void badParametersAreRejected() throws Exception {
    HttpResponse<String> negative = get("/api/v1/query" + query("query", "requests_total",
        "max_source_resolution", "-5"));
    assertEquals(400, negative.statusCode(), negative.body());
    assertTrue(negative.body().contains("negative max_source_resolution"), negative.body());
    HttpResponse<String> dedup = get("/api/v1/query" + query("query", "up", "dedup", "maybe"));
    assertEquals(400, dedup.statusCode(), dedup.body());
    assertTrue(dedup.body().contains("dedup"), dedup.body());
    // Accepted: raw data is what there is.
    api("/api/v1/query_range", "query", "requests_total", "start", seconds(T0),
        "end", seconds(T0 + 600_000), "step", "60", "max_source_resolution", "auto");
    api("/api/v1/query", "query", "requests_total", "time", seconds(T0),
        "max_source_resolution", "5m");
  }

  @Test
  void aRangeQueryWithoutStepGetsThanosDefault() throws Exception {
    // 20 minutes / 250 is 4 s: 301 points.
    JsonNode answer = api("/api/v1/query_range", "query", "requests_total",
        "start", seconds(T0), "end", seconds(T0 + 1_200_000));
    assertEquals(301, answer.path("data").path("result").get(0).path("values").size());
  }

  @Test
  void anEndpointAddedToTheSdFileIsQueriedWithinSeconds() throws Exception {
    StoreApiServer c = fixture.store("c", "c2", "a", "other_total", 0, false, null);
    fixture.writeTargets(a, b, c);
    query.awaitStores(address(c));
    JsonNode answer = api("/api/v1/query", "query", "other_total",
        "time", seconds(T0 + SAMPLES * STEP));
    assertEquals(Map.of(series("__name__", "other_total", "cluster", "c2", "job", "api"),
        List.of("79")), results(answer));
  }

  @Test
  void theQuerierServesItsEndpointsOnTheStoreApi() throws Exception {
    try (StoreClient client = StoreClient.connect("127.0.0.1:" + grpcPort, T0,
        T0 + SAMPLES * STEP)) {
      SeriesSet set = client.select(LabelMatcher.equal("__name__", "requests_total"));
      List<Labels> found = new ArrayList<>();
      while (set.next()) {
        found.add(set.at().labels());
      }
      // Not deduplicated: that is the querier above's work.
      assertEquals(List.of(
          Labels.of("__name__", "requests_total", "cluster", "c1", "job", "api", "replica", "a"),
          Labels.of("__name__", "requests_total", "cluster", "c1", "job", "api", "replica", "b")),
          found);
    }
  }

  @Test
  void promtoolQueriesTheQuerier() throws Exception {
    String out = Promtool.run(tmp, "query", "instant", "--time=" + seconds(T0 + SAMPLES * STEP),
        url, "requests_total").assertSuccess().stdout().strip();
    assertTrue(out.startsWith("requests_total{cluster=\"c1\", job=\"api\"} => 79 @["), out);
    assertFalse(out.contains("replica"), out);
  }
}
