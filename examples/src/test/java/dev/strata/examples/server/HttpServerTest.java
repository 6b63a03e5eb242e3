package dev.strata.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.promql.api.ApiResponse;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final AtomicBoolean READY = new AtomicBoolean();
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.builder(ListenAddress.parse("127.0.0.1:0"), new PrometheusRegistry())
        .routePrefix("/strata/")
        .readiness(READY::get)
        .getOrPost("/echo", r -> ApiResponse.text(200, r.method() + " " + r.params("a") + " " + r.param("b")))
        .get("/items/", r -> ApiResponse.text(200, r.path()))
        .get("/page", r -> new ApiResponse(200, "text/html; charset=utf-8", new byte[0])
            .withHeader("Cache-Control", "no-cache"))
        .redirect("/", "/page")
        .build()
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReadinessAndMetrics() throws Exception {
    assertEquals(200, get("/strata/-/healthy").statusCode());
    READY.set(false);
    assertEquals(503, get("/strata/-/ready").statusCode());
    READY.set(true);
    assertEquals(200, get("/strata/-/ready").statusCode());
    String metrics = get("/strata/metrics").body();
    assertTrue(metrics.contains("http_requests_total{code=\"503\",handler=\"/-/ready\",method=\"GET\"} 1"), metrics);
    assertTrue(metrics.contains("http_request_duration_seconds_bucket"), metrics);
  }

  @Test
  void queryAndFormParametersAreMergedInOrder() throws Exception {
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/strata/echo?a=1"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("a=2&b=x%20y")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("POST [1, 2] x y", r.body());
  }

  @Test
  void prefixRoutesWrongMethodsAndUnknownPaths() throws Exception {
    assertEquals("/items/abc", get("/strata/items/abc").body());
    assertEquals(404, get("/items/abc").statusCode(), "outside the route prefix");
    assertEquals(404, get("/strata/nothing").statusCode());
    HttpResponse<String> delete = CLIENT.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/strata/echo")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, delete.statusCode());
  }

  @Test
  void headersOfTheAnswerAndRedirectsBelowThePrefix() throws Exception {
    HttpResponse<String> page = get("/strata/page");
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
    assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));
    for (String root : new String[] {"/strata", "/strata/"}) {
      HttpResponse<String> r = get(root);
      assertEquals(302, r.statusCode(), root);
      assertEquals("/strata/page", r.headers().firstValue("Location").orElse(""), root);
    }
    assertEquals(404, get("/strata/elsewhere").statusCode(), "only / itself redirects");
  }

  @Test
  void aTakenPortIsReportedWithTheAddress() {
    Exception e = assertThrows(Exception.class, () -> HttpServer.builder(
        ListenAddress.parse("127.0.0.1:" + server.port()), new PrometheusRegistry()).build().start());
    assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + server.port()), e.getMessage());
  }
}
