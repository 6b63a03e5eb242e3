package dev.strata.promql.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.promql.Engine;
import dev.strata.promql.QueryException;
import dev.strata.promql.QueryOptions;
import dev.strata.promql.Queryable;
import dev.strata.promql.SelectHints;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.TempDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API's answers, byte for byte as Prometheus 2.42 gives them for the same data and request. */
class PrometheusApiTest {
  private static TempDirectory tmp;
  private static Tsdb db;
  private static PrometheusApi api;

  @BeforeAll
  static void load() throws Exception {
    tmp = TempDirectory.create("api");
    db = Tsdb.open(tmp.path(), TsdbOptions.builder().automaticCompaction(false).build());
    Appender app = db.appender();
    for (long t = 0; t <= 600_000; t += 60_000) {
      app.append(Labels.of("__name__", "up", "job", "api", "instance", "a"), t, 1);
      app.append(Labels.of("__name__", "up", "job", "db", "instance", "b"), t, t < 300_000 ? 1 : 0);
      app.append(Labels.of("__name__", "odd", "kind", "nan"), t, Double.NaN);
      app.append(Labels.of("__name__", "odd", "kind", "inf"), t, Double.POSITIVE_INFINITY);
      app.append(Labels.of("__name__", "odd", "kind", "tiny"), t, 1e-7);
      app.append(Labels.of("__name__", "html", "v", "<a&b>"), t, 0.5);
    }
    app.commit();
    api = PrometheusApi.builder(new Engine(), db::querier).clock(() -> 600_000).build();
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
    tmp.close();
  }

  /** A request with parameters given as name, value, name, value... */
  private static ApiResponse call(String method, String path, String... params) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      map.computeIfAbsent(params[i], k -> new ArrayList<>()).add(params[i + 1]);
    }
    return api.handle(new ApiRequest(method, path, map));
  }

  private static void assertAnswer(int status, String body, ApiResponse r) {
    assertEquals(body, r.bodyText());
    assertEquals(status, r.status(), r.bodyText());
  }

  @Test
  void instantQueries() {
    assertAnswer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},\"value\":[120.500,\"1\"]}]}}",
        call("GET", "/api/v1/query", "query", "up{job=\"api\"}", "time", "120.5"));
    // Grafana's health check: a scalar, with Go's JSON float for the time.
    assertAnswer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[4,\"2\"]}}",
        call("POST", "/api/v1/query", "query", "1+1", "time", "4", "limit", "40000"));
    assertAnswer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1.5,\"hi\"]}}",
        call("GET", "/api/v1/query", "query", "\"hi\"", "time", "1.5"));
    ApiResponse odd = call("GET", "/api/v1/query", "query", "sort(odd)", "time", "60");
    assertTrue(odd.bodyText().contains("\"value\":[60,\"NaN\"]"), odd.bodyText());
    assertTrue(odd.bodyText().contains("\"value\":[60,\"+Inf\"]"), odd.bodyText());
    assertTrue(odd.bodyText().contains("\"value\":[60,\"1e-07\"]"), odd.bodyText());
    ApiResponse html = call("GET", "/api/v1/query", "query", "html", "time", "60");
    assertTrue(html.bodyText().contains("\"v\":\"\\u003ca\\u0026b\\u003e\""), html.bodyText());
  }

  @Test
  void rangeQueries() {
    assertAnswer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"instance\":\"a\",\"job\":\"api\"},\"values\":[[0,\"2\"],[150,\"2\"],[300,\"2\"]]},"
        + "{\"metric\":{\"instance\":\"b\",\"job\":\"db\"},\"values\":[[0,\"2\"],[150,\"2\"],[300,\"1\"]]}]}}",
        call("POST", "/api/v1/query_range", "query", "up + 1", "start", "0", "end", "300",
            "step", "2m30s"));
    assertAnswer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{},\"values\":[[0.001,\"3\"],[60.001,\"3\"]]}]}}",
        call("GET", "/api/v1/query_range", "query", "3", "start", "0.001", "end", "60.001",
            "step", "60"));
  }

  @Test
  void badRequestsGetPrometheusErrors() {
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        + "\"invalid parameter \\\"time\\\": Invalid time value for 'time': cannot parse \\\"abc\\\" to a valid timestamp\"}",
        call("GET", "/api/v1/query", "query", "up", "time", "abc"));
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        + "\"invalid parameter \\\"end\\\": end timestamp must not be before start time\"}",
        call("GET", "/api/v1/query_range", "query", "up", "start", "10", "end", "5", "step", "1"));
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
        + " \\\"step\\\": zero or negative query resolution step widths are not accepted. Try a positive integer\"}",
        call("GET", "/api/v1/query_range", "query", "up", "start", "0", "end", "5", "step", "0"));
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"exceeded maximum"
        + " resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)\"}",
        call("GET", "/api/v1/query_range", "query", "up", "start", "0", "end", "11001", "step", "1"));
    assertEquals(200, call("GET", "/api/v1/query_range", "query", "up", "start", "0", "end", "11000",
        "step", "1").status(), "11,000 points exactly are fine");
    // A span too long for nanoseconds saturates as Go's time.Sub does: still too many points.
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"exceeded maximum"
        + " resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)\"}",
        call("GET", "/api/v1/query_range", "query", "up", "start", "-9000000000000000",
            "end", "9000000000000000", "step", "86400"));
    ApiResponse parse = call("GET", "/api/v1/query", "query", "sum(up");
    assertEquals(400, parse.status());
    assertTrue(parse.bodyText().startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"invalid parameter \\\"query\\\": 1:7: parse error:"), parse.bodyText());
    ApiResponse rangeString = call("GET", "/api/v1/query_range", "query", "\"x\"", "start", "0",
        "end", "60", "step", "15");
    assertEquals(400, rangeString.status(), rangeString.bodyText());
    assertTrue(rangeString.bodyText().contains(
        "invalid expression type \\\"string\\\" for range query, must be Scalar or instant Vector"),
        rangeString.bodyText());
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
        + " \\\"timeout\\\": cannot parse \\\"soon\\\" to a valid duration\"}",
        call("GET", "/api/v1/query", "query", "up", "timeout", "soon"));
  }

  @Test
  void seriesLabelsAndLabelValues() {
    assertAnswer(200, "{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},"
        + "{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"db\"}]}",
        call("POST", "/api/v1/series", "match[]", "up{job=\"db\"}", "match[]", "up", "start", "0",
            "end", "600"));
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no match[] parameter provided\"}",
        call("GET", "/api/v1/series"));
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
        + " \\\"match[]\\\": match[] must contain at least one non-empty matcher\"}",
        call("GET", "/api/v1/series", "match[]", "{job=~\".*\"}"));
    assertAnswer(200, "{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\",\"kind\",\"v\"]}",
        call("GET", "/api/v1/labels"));
    assertAnswer(200, "{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}",
        call("POST", "/api/v1/labels", "match[]", "up"));
    assertAnswer(200, "{\"status\":\"success\",\"data\":[\"api\",\"db\"]}",
        call("GET", "/api/v1/label/job/values"));
    assertAnswer(200, "{\"status\":\"success\",\"data\":[\"inf\",\"nan\",\"tiny\"]}",
        call("GET", "/api/v1/label/kind/values", "match[]", "odd", "start", "0", "end", "600"));
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid label name: \\\"foo-bar\\\"\"}",
        call("GET", "/api/v1/label/foo-bar/values"));
  }

  @Test
  void federation() {
    ApiResponse r = api.federate(new ApiRequest("GET", "/federate",
        Map.of("match[]", List.of("up", "html", "{kind=\"nan\"}"))));
    assertEquals(200, r.status());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.contentType());
    assertEquals("# TYPE html untyped\n"
        + "html{v=\"<a&b>\",instance=\"\"} 0.5 600000\n"
        + "# TYPE odd untyped\n"
        + "odd{kind=\"nan\",instance=\"\"} NaN 600000\n"
        + "# TYPE up untyped\n"
        + "up{instance=\"a\",job=\"api\"} 1 600000\n"
        + "up{instance=\"b\",job=\"db\"} 0 600000\n", r.bodyText());
    assertEquals(400, api.federate(new ApiRequest("GET", "/federate", Map.of("match[]", List.of("up{")))).status());
  }

  @Test
  void statusEndpointsAndRouting() {
    String build = call("GET", "/api/v1/status/buildinfo").bodyText();
    assertTrue(build.startsWith("{\"status\":\"success\",\"data\":{\"version\":"), build);
    assertFalse(build.contains("features"), "Grafana would take Strata for Mimir: " + build);
    assertAnswer(200, "{\"status\":\"success\",\"data\":{}}", call("GET", "/api/v1/metadata"));
    assertAnswer(200, "{\"status\":\"success\",\"data\":[]}",
        call("POST", "/api/v1/query_exemplars", "query", "up", "start", "0", "end", "60"));
    assertAnswer(200, "{\"status\":\"success\",\"data\":\"sum by (job) (rate(x[5m]))\"}",
        call("GET", "/api/v1/format_query", "query", "sum(rate(x[5m]))by(job)"));
    assertEquals(405, call("DELETE", "/api/v1/query", "query", "up").status());
    assertEquals(405, call("POST", "/api/v1/label/job/values").status());
    assertEquals(404, call("GET", "/api/v1/nothing").status());
  }

  /** A querier over the database that says it left a store out, as a partial answer does. */
  private static Querier warning(Querier q, String warning) {
    return new Querier() {
      @Override public long minTime() { return q.minTime(); }
      @Override public long maxTime() { return q.maxTime(); }
      @Override public SeriesSet select(LabelMatcher... matchers) { return q.select(matchers); }
      @Override public List<String> labelNames(LabelMatcher... matchers) { return q.labelNames(matchers); }
      @Override public List<String> labelValues(String name, LabelMatcher... matchers) {
        return q.labelValues(name, matchers);
      }
      @Override public List<String> warnings() { return List.of(warning); }
      @Override public void close() { q.close(); }
    };
  }

  @Test
  void perRequestSourcesAndTheirWarnings() {
    PrometheusApi partial = PrometheusApi.builder(new Engine(), db::querier)
        .queryableFor(r -> {
          if ("bad".equals(r.param("source"))) {
            throw new QueryException(QueryException.ErrorType.BAD_DATA, "no such source");
          }
          return (mint, maxt) -> warning(db.querier(mint, maxt), "store x left out");
        })
        .build();
    String suffix = ",\"warnings\":[\"store x left out\"]}";
    ApiResponse q = partial.handle(new ApiRequest("GET", "/api/v1/query",
        Map.of("query", List.of("up + up"), "time", List.of("60"))));
    assertTrue(q.bodyText().endsWith("]}" + suffix), q.bodyText()); // once, though read twice
    ApiResponse range = partial.handle(new ApiRequest("GET", "/api/v1/query_range",
        Map.of("query", List.of("up"), "start", List.of("0"), "end", List.of("60"),
            "step", List.of("60"))));
    assertTrue(range.bodyText().endsWith(suffix), range.bodyText());
    assertAnswer(200, "{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]"
        + suffix, partial.handle(new ApiRequest("GET", "/api/v1/labels",
            Map.of("match[]", List.of("up")))));
    assertTrue(partial.handle(new ApiRequest("GET", "/api/v1/series",
        Map.of("match[]", List.of("up")))).bodyText().endsWith(suffix));
    assertAnswer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no such source\"}",
        partial.handle(new ApiRequest("GET", "/api/v1/query",
            Map.of("query", List.of("up"), "source", List.of("bad")))));
    // The database itself warns of nothing.
    assertFalse(call("GET", "/api/v1/query", "query", "up").bodyText().contains("warnings"));
  }

  @Test
  void perRequestQueryOptions() {
    PrometheusApi widened = PrometheusApi.builder(new Engine(), db::querier)
        .queryOptionsFor(r -> {
          String lookback = r.param("lookback");
          if ("bad".equals(lookback)) {
            throw new QueryException(QueryException.ErrorType.BAD_DATA, "bad lookback");
          }
          return lookback == null ? QueryOptions.DEFAULTS
              : new QueryOptions(Duration.ofMinutes(Long.parseLong(lookback)));
        })
        .build();
    // The last samples are at 10m: the default 5m lookback sees nothing at 20m, 15m sees them.
    String vector = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[";
    assertAnswer(200, vector + "]}}", widened.handle(new ApiRequest("GET", "/api/v1/query",
        Map.of("query", List.of("up"), "time", List.of("1200")))));
    assertAnswer(200, vector + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\","
        + "\"job\":\"api\"},\"value\":[1200,\"1\"]}]}}",
        widened.handle(new ApiRequest("GET", "/api/v1/query", Map.of("query",
            List.of("up{job=\"api\"}"), "time", List.of("1200"), "lookback", List.of("15")))));
    ApiResponse range = widened.handle(new ApiRequest("GET", "/api/v1/query_range",
        Map.of("query", List.of("up{job=\"api\"}"), "start", List.of("1200"),
            "end", List.of("1500"), "step", List.of("300"), "lookback", List.of("15"))));
    assertTrue(range.bodyText().contains("\"values\":[[1200,\"1\"],[1500,\"1\"]]"),
        range.bodyText());
    assertEquals(400, widened.handle(new ApiRequest("GET", "/api/v1/query",
        Map.of("query", List.of("up"), "lookback", List.of("bad")))).status());
  }

  @Test
  void seriesAreLookedUpWithoutSamples() {
    List<SelectHints> seen = new ArrayList<>();
    Queryable recording = new Queryable() {
      @Override
      public Querier querier(long mint, long maxt) {
        return db.querier(mint, maxt);
      }

      @Override
      public Querier querier(long mint, long maxt, SelectHints hints) {
        seen.add(hints);
        return db.querier(mint, maxt);
      }
    };
    PrometheusApi api = PrometheusApi.builder(new Engine(), recording).build();
    ApiResponse r = api.handle(new ApiRequest("GET", "/api/v1/series",
        Map.of("match[]", List.of("up"), "start", List.of("0"), "end", List.of("600"))));
    assertEquals(200, r.status(), r.bodyText());
    assertEquals(1, seen.size(), seen::toString);
    assertTrue(seen.get(0).labelsOnly(), seen::toString);
    assertEquals(0, seen.get(0).startMs());
    assertEquals(600_000, seen.get(0).endMs());
    // A query's selectors are not labels-only lookups.
    seen.clear();
    api.handle(new ApiRequest("GET", "/api/v1/query", Map.of("query", List.of("up"))));
    assertFalse(seen.get(0).labelsOnly(), seen::toString);
  }
}
