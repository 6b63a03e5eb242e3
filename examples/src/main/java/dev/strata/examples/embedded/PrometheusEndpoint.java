package dev.strata.examples.embedded;

import com.sun.net.httpserver.HttpServer;
import dev.strata.promql.Engine;
import dev.strata.promql.api.ApiRequest;
import dev.strata.promql.api.ApiResponse;
import dev.strata.promql.api.PrometheusApi;
import dev.strata.tsdb.Tsdb;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A service's embedded database behind Prometheus's query API, on the JDK's own HTTP server: add
 * {@code http://host:port} as a Prometheus data source in Grafana and it queries the service's
 * metrics with PromQL. Any HTTP server does; the handlers know none.
 */
public final class PrometheusEndpoint {
  private PrometheusEndpoint() {}

  /** Serves {@code db} at {@code address}; stop the returned server to stop. */
  public static HttpServer serve(Tsdb db, InetSocketAddress address) throws IOException {
    // readme:start
    PrometheusApi api = PrometheusApi.builder(new Engine(), db::querier).build();
    HttpServer server = HttpServer.create(address, 0);
    server.createContext(PrometheusApi.ROOT + "/", exchange -> {
      String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      ApiResponse r = api.handle(ApiRequest.of(exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(), form));
      exchange.getResponseHeaders().set("Content-Type", r.contentType());
      exchange.sendResponseHeaders(r.status(), r.body().length);
      exchange.getResponseBody().write(r.body());
      exchange.close();
    });
    server.start();
    // readme:end
    return server;
  }
}
