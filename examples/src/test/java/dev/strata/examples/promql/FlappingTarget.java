package dev.strata.examples.promql;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scrape target whose series come and go from one scrape to the next, and which fails some
 * scrapes, so that Prometheus writes staleness markers (which a backfill never writes).
 */
final class FlappingTarget implements AutoCloseable {
  /** Scrapes (counted from 0) that fail: Prometheus marks every series of the target stale. */
  private static final int FIRST_FAILING = 9;
  private static final int LAST_FAILING = 10;

  private final HttpServer server;
  private final AtomicInteger scrapes = new AtomicInteger();

  private FlappingTarget(HttpServer server) {
    this.server = server;
  }

  static FlappingTarget start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FlappingTarget target = new FlappingTarget(server);
    server.createContext("/metrics", exchange -> {
      int n = target.scrapes.getAndIncrement();
      boolean fail = n >= FIRST_FAILING && n <= LAST_FAILING;
      byte[] body = (fail ? "unavailable\n" : exposition(n)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return target;
  }

  // Always there; gone every third scrape; a label that changes every four scrapes; a counter.
  private static String exposition(int n) {
    StringBuilder sb = new StringBuilder();
    sb.append("# TYPE flap_always gauge\nflap_always ").append(n).append('\n');
    if (n % 3 != 2) {
      sb.append("# TYPE flap_sometimes gauge\nflap_sometimes{kind=\"a\"} ").append(n * 1.5).append('\n');
      sb.append("flap_sometimes{kind=\"b\"} ").append(-n).append('\n');
    }
    sb.append("# TYPE flap_phase gauge\nflap_phase{phase=\"").append(n / 4 % 2 == 0 ? "even" : "odd")
        .append("\"} ").append(n).append('\n');
    sb.append("# TYPE flap_requests_total counter\nflap_requests_total ").append(n * n).append('\n');
    return sb.toString();
  }

  int port() {
    return server.getAddress().getPort();
  }

  int scrapes() {
    return scrapes.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
