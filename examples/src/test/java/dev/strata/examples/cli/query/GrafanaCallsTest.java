package dev.strata.examples.cli.query;

import static dev.strata.examples.cli.query.ApiAnswers.query;
import static dev.strata.examples.cli.query.ApiAnswers.results;
import static dev.strata.examples.cli.query.ApiAnswers.series;
import static dev.strata.examples.cli.query.QuerierProcess.JSON;
import static dev.strata.examples.cli.query.QueryFixture.SAMPLES;
import static dev.strata.examples.cli.query.QueryFixture.STEP;
import static dev.strata.examples.cli.query.QueryFixture.T0;
import static dev.strata.examples.cli.query.QueryFixture.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata query} as Grafana's Prometheus data source (v10, v11) calls it: data queries as
 * the backend sends them (POST, form-encoded, times in Unix seconds, the data source's {@code
 * timeout}), the resource calls its frontend makes through the backend (labels, label values,
 * series, metadata, build info, exemplars; POST where Grafana posts, with parameters both in the
 * URL and the body), Grafana's headers, and parameters Prometheus does not know. Each answer is
 * checked for the fields Grafana reads. Over two HA replicas of one producer ({@link
 * QueryFixture}).
 */
class GrafanaCallsTest {
  /** Grafana sends these with every call; a querier must take no notice of them. */
  private static final String[] GRAFANA_HEADERS = {
      "X-Grafana-Org-Id", "1", "X-Dashboard-Uid", "d1", "X-Panel-Id", "2",
      "X-Datasource-Uid", "strata", "X-Grafana-From-Expr", "true", "User-Agent", "Grafana/11.0.0"};
  private static final long END = T0 + SAMPLES * STEP;

  @TempDir static Path tmp;
  private static QueryFixture fixture;
  private static QuerierProcess query;

  @BeforeAll
  static void start() throws Exception {
    fixture = new QueryFixture(tmp);
    StoreApiServer a = fixture.store("a", "c1", "a", "requests_total", 0, false, null);
    StoreApiServer b = fixture.store("b", "c1", "b", "requests_total", 1, false, null);
    fixture.writeTargets(a, b);
    query = fixture.startQuerier("", "--query.replica-label=replica");
    query.awaitStores(address(a), address(b));
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** As Grafana posts: the parameters form-encoded in the body, plus any in {@code urlQuery}. */
  private static HttpResponse<String> postWithUrlQuery(String path, String urlQuery,
      String... params) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(query.url() + path + urlQuery))
        .headers(GRAFANA_HEADERS)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(query(params).replaceFirst("^\\?", "")))
        .build();
    return query.send(request);
  }

  private static HttpResponse<String> post(String path, String... params) throws Exception {
    return postWithUrlQuery(path, "", params);
  }

  /** As Grafana gets: the parameters in the URL. */
  private static HttpResponse<String> get(String path, String... params) throws Exception {
    return query.send(HttpRequest.newBuilder(URI.create(query.url() + path + query(params)))
        .headers(GRAFANA_HEADERS).build());
  }

  /** The answer, which must be a success, with {@code data} and no error. */
  private static JsonNode success(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        r.headers().toString());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals("success", answer.path("status").asText(), r.body());
    assertTrue(answer.has("data"), r.body());
    assertFalse(answer.has("error"), r.body());
    return answer;
  }

  /** Unix seconds as Grafana formats them: no fraction when whole. */
  private static String unix(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
  }

  private static List<String> strings(JsonNode array) {
    assertTrue(array.isArray(), array::toString);
    List<String> out = new ArrayList<>();
    array.forEach(n -> {
      assertTrue(n.isTextual(), n::toString);
      out.add(n.asText());
    });
    return out;
  }

  @Test
  void theHealthCheckQueriesOnePlusOneAtFourSeconds() throws Exception {
    JsonNode data = success(post("/api/v1/query", "query", "1+1", "time", "4",
        "timeout", "60s")).path("data");
    assertEquals("scalar", data.path("resultType").asText());
    assertEquals(JSON.readTree("[4,\"2\"]"), data.path("result"));
  }

  @Test
  void aRangeQueryOfAPanel() throws Exception {
    // Grafana aligns start and end down to a multiple of the step (start here one step on, where
    // there is data).
    long step = 15;
    long start = Math.floorDiv(T0 / 1000, step) * step + step;
    long end = Math.floorDiv(END / 1000, step) * step;
    String[] params = {"query", "requests_total", "start", Long.toString(start),
        "end", Long.toString(end), "step", Long.toString(step), "timeout", "60s"};
    JsonNode data = success(post("/api/v1/query_range", params)).path("data");
    assertEquals("matrix", data.path("resultType").asText());
    assertEquals(1, data.path("result").size(), data.toString());
    JsonNode only = data.path("result").get(0);
    assertEquals(JSON.readTree("{\"__name__\":\"requests_total\",\"cluster\":\"c1\","
        + "\"job\":\"api\"}"), only.path("metric"));
    JsonNode values = only.path("values");
    assertEquals((end - start) / step + 1, values.size());
    for (int i = 0; i < values.size(); i++) {
      JsonNode point = values.get(i);
      assertEquals(start + i * step, point.get(0).asLong(), point::toString);
      assertTrue(point.get(0).isNumber() && point.get(1).isTextual(), point::toString);
    }
    assertEquals("79", values.get(values.size() - 1).get(1).asText());
    // The same as a data source set to GET sends it.
    assertEquals(data, success(get("/api/v1/query_range", params)).path("data"));
  }

  @Test
  void anInstantQueryOfATablePanel() throws Exception {
    JsonNode data = success(post("/api/v1/query", "query", "sum by (job) (requests_total)",
        "time", unix(END), "timeout", "30s")).path("data");
    assertEquals("vector", data.path("resultType").asText());
    assertEquals(JSON.readTree("[{\"metric\":{\"job\":\"api\"},\"value\":[" + unix(END)
        + ",\"79\"]}]"), data.path("result"));
  }

  @Test
  void parametersPrometheusDoesNotKnowAreIgnored() throws Exception {
    JsonNode data = success(post("/api/v1/query", "query", "requests_total", "time", unix(END),
        "limit", "40000", "utcOffsetSec", "3600", "requestId", "Q100")).path("data");
    assertEquals(1, data.path("result").size(), data.toString());
  }

  @Test
  void aBadQueryIsAnErrorGrafanaShows() throws Exception {
    HttpResponse<String> r = post("/api/v1/query_range", "query", "sum(", "start", unix(T0),
        "end", unix(END), "step", "15");
    assertEquals(400, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals("error", answer.path("status").asText());
    assertEquals("bad_data", answer.path("errorType").asText());
    assertFalse(answer.path("error").asText().isEmpty(), r.body());
  }

  @Test
  void exemplarsAreAnEmptySuccess() throws Exception {
    // On start the data source asks for exemplars of "test" over the last 30 minutes.
    JsonNode answer = success(post("/api/v1/query_exemplars", "query", "test",
        "start", unix(END - 1_800_000), "end", unix(END)));
    assertEquals(JSON.readTree("[]"), answer.path("data"));
  }

  @Test
  void labelNamesForTheMetricsBrowser() throws Exception {
    String start = unix(T0);
    String end = unix(END);
    fixture.clearSeriesRequests();
    List<String> all = strings(success(post("/api/v1/labels", "start", start, "end", end,
        "limit", "40000")).path("data"));
    assertEquals(List.of("__name__", "cluster", "job", "replica"), all);
    // The frontend's resource calls keep their URL parameters when posted through the backend.
    List<String> matched = strings(success(postWithUrlQuery("/api/v1/labels",
        query("start", start, "end", end), "match[]", "{__name__=\"requests_total\"}"))
        .path("data"));
    assertEquals(all, matched);
    assertEquals(List.of(), strings(success(post("/api/v1/labels", "start", start, "end", end,
        "match[]", "{__name__=\"nothing\"}")).path("data")));
    // Asked of the stores' LabelNames, as Thanos does, not through their series.
    assertEquals(List.of(), fixture.seriesRequests());
  }

  @Test
  void labelValuesAreAlwaysGot() throws Exception {
    String start = unix(T0);
    String end = unix(END);
    fixture.clearSeriesRequests();
    assertEquals(List.of("requests_total"), strings(success(get("/api/v1/label/__name__/values",
        "start", start, "end", end, "limit", "40000")).path("data")));
    assertEquals(List.of("api"), strings(success(get("/api/v1/label/job/values",
        "start", start, "end", end, "match[]", "{__name__=\"requests_total\"}")).path("data")));
    assertEquals(List.of("a", "b"), strings(success(get("/api/v1/label/replica/values",
        "start", start, "end", end, "match[]", "requests_total")).path("data")));
    assertEquals(List.of(), fixture.seriesRequests());
  }

  @Test
  void seriesForAVariableAreLookedUpWithoutChunks() throws Exception {
    fixture.clearSeriesRequests();
    JsonNode data = success(post("/api/v1/series", "match[]", "{__name__=\"requests_total\"}",
        "start", unix(T0), "end", unix(END), "limit", "40000")).path("data");
    assertEquals(JSON.readTree("[{\"__name__\":\"requests_total\",\"cluster\":\"c1\","
        + "\"job\":\"api\"}]"), data);
    List<SeriesRequest> asked = fixture.seriesRequests();
    assertEquals(2, asked.size(), asked::toString);
    for (SeriesRequest r : asked) {
      assertTrue(r.getSkipChunks(), r::toString);
    }
    // Grafana's "match everything" selector.
    assertEquals(1, success(get("/api/v1/series", "match[]", "{__name__!=\"\"}",
        "start", unix(T0), "end", unix(END))).path("data").size());
    // A query reads chunks.
    fixture.clearSeriesRequests();
    success(post("/api/v1/query", "query", "requests_total", "time", unix(END)));
    assertFalse(fixture.seriesRequests().get(0).getSkipChunks());
  }

  @Test
  void metadataIsAnEmptyObject() throws Exception {
    assertEquals(JSON.readTree("{}"), success(get("/api/v1/metadata")).path("data"));
    assertEquals(JSON.readTree("{}"), success(get("/api/v1/metadata", "metric", "requests_total",
        "limit", "1")).path("data"));
  }

  @Test
  void buildInfoSaysPrometheusNotMimir() throws Exception {
    JsonNode data = success(get("/api/v1/status/buildinfo")).path("data");
    assertTrue(data.path("version").isTextual(), data::toString);
    assertFalse(data.path("version").asText().isEmpty(), data::toString);
    // Grafana takes a data source with features for Mimir, and calls its ruler API.
    assertTrue(data.path("features").isMissingNode() || data.path("features").isEmpty(),
        data::toString);
  }

  @Test
  void aQueryAcceptingHourlyDataLooksBackAnHour() throws Exception {
    // Half an hour after the last sample: out of the 5-minute lookback.
    String late = unix(END + 30 * 60_000);
    assertEquals(Map.of(), results(success(post("/api/v1/query", "query", "requests_total",
        "time", late))));
    Map<Map<String, String>, List<String>> found = Map.of(
        series("__name__", "requests_total", "cluster", "c1", "job", "api"), List.of("79"));
    assertEquals(found, results(success(post("/api/v1/query", "query", "requests_total",
        "time", late, "max_source_resolution", "1h"))));
    assertEquals(Map.of(), results(success(post("/api/v1/query", "query", "requests_total",
        "time", late, "max_source_resolution", "5m"))));
    assertEquals(found, results(success(post("/api/v1/query", "query", "requests_total",
        "time", late, "lookback_delta", "45m"))));
    assertEquals(400, post("/api/v1/query", "query", "requests_total", "time", late,
        "lookback_delta", "soon").statusCode());
  }
}
