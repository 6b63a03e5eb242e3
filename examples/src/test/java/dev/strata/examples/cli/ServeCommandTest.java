package dev.strata.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.server.ServerProcess;
import dev.strata.tsdb.testing.ChildJvm;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata serve} as a child process over a directory promtool wrote, queried by {@code
 * promtool query}: the real client of Prometheus's API.
 */
@Interop
class ServeCommandTest {
  private static final long T0 = 1_700_000_000; // seconds
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path tmp;
  private static ServerProcess serve;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder om = new StringBuilder("# TYPE http_requests counter\n");
    for (String code : new String[] {"200", "500"}) {
      for (int i = 0; i <= 40; i++) {
        om.append("http_requests_total{code=\"").append(code).append("\",job=\"api\"} ")
            .append(i * (code.equals("200") ? 10 : 1)).append(' ').append(T0 + i * 15L).append('\n');
      }
    }
    om.append("# EOF\n");
    Files.writeString(tmp.resolve("in.om"), om);
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", "in.om", "data").assertSuccess();
    serve = startServe("serve.log");
    url = "http://127.0.0.1:" + serve.awaitPort("strata serve: ");
  }

  private static ServerProcess startServe(String log) throws Exception {
    return ServerProcess.start("strata serve", ChildJvm.command(tmp.resolve("child-tmp"),
            StrataCommand.class, "serve", "--read-only", "--storage.tsdb.path=" + tmp.resolve("data"),
            "--web.listen-address=127.0.0.1:0"), tmp.resolve(log));
  }

  @AfterAll
  static void stop() throws Exception {
    if (serve != null) {
      serve.close();
    }
  }

  private static String promtoolQuery(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "query";
    System.arraycopy(args, 0, all, 1, args.length);
    return Promtool.run(tmp, all).assertSuccess().stdout().strip();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void promtoolQueriesTheServer() throws Exception {
    long t = T0 + 600;
    assertEquals("{code=\"200\", job=\"api\"} => 0.6666666666666666 @[" + t + "]\n"
            + "{code=\"500\", job=\"api\"} => 0.06666666666666667 @[" + t + "]",
        promtoolQuery("instant", "--time=" + t, url, "sort_desc(rate(http_requests_total[1m]))"));
    assertEquals("{} =>\n22 @[" + (T0 + 300) + "]\n44 @[" + (T0 + 600) + "]",
        promtoolQuery("range", "--start=" + (T0 + 300), "--end=" + (T0 + 600), "--step=5m", url,
            "sum(http_requests_total) / 10"));
    assertEquals("{__name__=\"http_requests_total\", code=\"500\", job=\"api\"}",
        promtoolQuery("series", "--match=http_requests_total{code=\"500\"}",
            "--start=" + T0, "--end=" + t, url));
    assertEquals("200\n500", promtoolQuery("labels", "--start=" + T0, "--end=" + t, url, "code"));
  }

  @Test
  void healthReadinessMetricsAndErrors() throws Exception {
    assertEquals(200, get("/-/healthy").statusCode());
    assertEquals(200, get("/-/ready").statusCode());
    HttpResponse<String> bad = get("/api/v1/query?query=rate(http_requests_total)");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("\"errorType\":\"bad_data\""), bad.body());
    promtoolQuery("instant", "--time=" + T0, url, "up");
    String metrics = get("/metrics").body();
    assertTrue(metrics.contains("strata_promql_queries_total{kind=\"query\",outcome=\"success\"}"), metrics);
    assertTrue(metrics.contains("http_requests_total{code=\"400\",handler=\"/api/v1/\",method=\"GET\"} 1.0"), metrics);
    assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);
  }

  @Test
  void stopsCleanlyOnSigterm() throws Exception {
    ServerProcess second = startServe("second.log");
    int port = second.awaitPort("strata serve: ");
    // A client that keeps its connection open must not hold the stop up.
    HttpClient keepAlive = HttpClient.newHttpClient();
    assertEquals(200, keepAlive.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=1")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    long start = System.nanoTime();
    second.close();
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertTrue(seconds < 15, "stopped after " + seconds + " s");
    assertTrue(second.log().contains("serve: stopped"), second.log());
  }
}
