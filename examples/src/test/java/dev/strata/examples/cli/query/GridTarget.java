package dev.strata.examples.cli.query;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A scrape target whose samples are a function of a time grid: every {@link #GRID} ms a counter
 * and a gauge take the values {@link #counter} and {@link #gauge} of the grid point, exposed with
 * the grid point as their explicit timestamp. Two Prometheus servers scraping it every second
 * store the same samples, whenever each of them scrapes (a grid point scraped again is an exact
 * duplicate, which Prometheus drops), so that HA replicas hold identical data. Nothing is exposed
 * before {@link #begin} is called: both replicas then start from the same grid point.
 */
final class GridTarget implements AutoCloseable {
  static final long GRID = 5_000;
  static final String COUNTER = "topo_requests_total";
  static final String GAUGE = "topo_temperature_celsius";

  private final HttpServer server;
  private volatile long first = Long.MAX_VALUE;

  private GridTarget(HttpServer server) {
    this.server = server;
  }

  /** Listens on a free loopback port; exposes nothing until {@link #begin}. */
  static GridTarget start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    GridTarget target = new GridTarget(server);
    server.createContext("/metrics", exchange -> {
      byte[] body = target.exposition(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return target;
  }

  /** The counter's value at grid point {@code t}: 3 a grid step, never reset. */
  static double counter(long t) {
    return 3.0 * (t / GRID);
  }

  /** The gauge's value at grid point {@code t}: 20 to 26, round and round. */
  static double gauge(long t) {
    return 20 + (t / GRID) % 7;
  }

  /** The grid point at or before {@code t}. */
  static long gridPoint(long t) {
    return Math.floorDiv(t, GRID) * GRID;
  }

  /**
   * Starts exposing samples from the first grid point at least {@code leadMs} from now on, and
   * returns that grid point: scrapers already running all see it first.
   */
  long begin(long leadMs) {
    long at = gridPoint(System.currentTimeMillis() + leadMs + GRID - 1);
    first = at;
    return at;
  }

  /** The first grid point exposed (after {@link #begin}). */
  long first() {
    return first;
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private String exposition(long now) {
    long t = gridPoint(now);
    if (t < first) {
      return "";
    }
    return "# TYPE " + COUNTER + " counter\n"
        + COUNTER + "{path=\"/api\"} " + (long) counter(t) + " " + t + "\n"
        + "# TYPE " + GAUGE + " gauge\n"
        + GAUGE + " " + (long) gauge(t) + " " + t + "\n";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
