package dev.strata.examples.cli.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.examples.cli.StrataCli;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.PrometheusToolsExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Prometheus server started on blocks written by {@code strata tsdb create-blocks-from} answers
 * queries on them with the backfilled values.
 */
@Interop
class PrometheusServesStrataBlocksInteropTest {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void answersQueriesOnStrataBlocks() throws Exception {
    Path prometheus = PrometheusToolsExtension.findOnPath("prometheus")
        .orElseThrow(() -> new AssertionError("prometheus is not on the PATH"));
    long now = System.currentTimeMillis();
    long start = (now - 3 * 3_600_000L) / 15_000 * 15_000;
    OpenMetricsFixture fixture = OpenMetricsFixture.recent(start, 2 * 3_600_000L);
    Path input = fixture.write(tmp.resolve("recent.om"));
    Path data = tmp.resolve("data");
    StrataCli.run("tsdb", "create-blocks-from", "--quiet", "openmetrics", input.toString(),
        data.toString()).assertSuccess();
    Path config = Files.writeString(tmp.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1h\nscrape_configs: []\n");

    int port = freePort();
    Path log = tmp.resolve("prometheus.log");
    Process server = new ProcessBuilder(prometheus.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + data,
        "--storage.tsdb.retention.time=100y",
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    Thread reaper = new Thread(server::destroyForcibly, "stop prometheus");
    Runtime.getRuntime().addShutdownHook(reaper); // should this JVM die first
    try {
      String base = "http://127.0.0.1:" + port;
      awaitReady(server, base, log);

      OpenMetricsFixture.Series s = fixture.series().get(1);
      String selector = "strata_backfilled{instance=\"host-1\"}";
      int i = s.t().length / 2;
      JsonNode instant = query(base + "/api/v1/query?query=" + encode(selector)
          + "&time=" + seconds(s.t()[i]));
      JsonNode result = instant.path("data").path("result");
      assertEquals(1, result.size(), instant.toString());
      assertEquals("host-1", result.get(0).path("metric").path("instance").asText());
      assertEquals(s.v()[i], Double.parseDouble(result.get(0).path("value").get(1).asText()));

      int from = 10;
      int to = 30;
      JsonNode range = query(base + "/api/v1/query_range?query=" + encode(selector)
          + "&start=" + seconds(s.t()[from]) + "&end=" + seconds(s.t()[to]) + "&step=15");
      JsonNode values = range.path("data").path("result").get(0).path("values");
      assertEquals(to - from + 1, values.size(), range.toString());
      for (int k = 0; k <= to - from; k++) {
        assertEquals(s.t()[from + k] / 1000.0, values.get(k).get(0).asDouble());
        assertEquals(s.v()[from + k], Double.parseDouble(values.get(k).get(1).asText()));
      }
    } finally {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
    assertTrue(!server.isAlive(), "prometheus stopped");
  }

  private void awaitReady(Process server, String base, Path log) throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("prometheus exited with " + server.exitValue() + ":\n"
            + Files.readString(log));
      }
      try {
        HttpResponse<String> r = http.send(
            HttpRequest.newBuilder(URI.create(base + "/-/ready")).timeout(Duration.ofSeconds(2))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("prometheus not ready after " + READY_TIMEOUT + ":\n"
        + Files.readString(log));
  }

  private JsonNode query(String url) throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertEquals("success", json.path("status").asText(), r.body());
    return json;
  }

  private static String seconds(long millis) {
    return String.format("%d.%03d", millis / 1000, millis % 1000);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
