package dev.strata.examples.server;

import dev.strata.promql.api.ApiRequest;
import dev.strata.promql.api.ApiResponse;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of every strata server, on Jetty: the routes a command registers, and the ones
 * every Prometheus or Thanos component has ({@code /-/healthy}, {@code /-/ready}, {@code
 * /metrics}). Requests are counted and timed per route ({@code http_requests_total}, {@code
 * http_request_duration_seconds}, Thanos's names); a stop lets requests in flight finish within the
 * grace period.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  /** Answers one request; an exception becomes a 500 with its message. */
  @FunctionalInterface
  public interface Endpoint {
    ApiResponse handle(ApiRequest request) throws Exception;
  }

  private record Route(String pattern, boolean prefix, Set<String> methods, Endpoint endpoint) {
    boolean matches(String path) {
      return prefix ? path.startsWith(pattern) : path.equals(pattern);
    }
  }

  private final Server server;
  private final ServerConnector connector;
  private final List<Route> routes;
  private final String routePrefix;
  private final Counter requests;
  private final Histogram durations;

  private HttpServer(Builder b) {
    this.routes = List.copyOf(b.routes);
    this.routePrefix = b.routePrefix;
    this.requests = Counter.builder().name("http_requests_total")
        .help("Requests answered, by route, method and status code.")
        .labelNames("handler", "method", "code").register(b.registry);
    this.durations = Histogram.builder().name("http_request_duration_seconds")
        .help("Time to answer a request, by route.").labelNames("handler", "method")
        .classicUpperBounds(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
        .register(b.registry);
    QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads, 2, 60_000);
    threads.setName("http");
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost(b.address.host());
    connector.setPort(b.address.port());
    server.addConnector(connector);
    server.setHandler(new GracefulHandler(new Dispatcher()));
    server.setStopTimeout(b.gracePeriod.toMillis());
    // The grace period is for requests in flight; once they are done, a pool thread that still
    // does not end (a selector stuck on a vanished file, say) must not hold the exit up for it.
    threads.setStopTimeout(5_000);
    server.setStopAtShutdown(false); // the server's lifecycle stops it, in order
  }

  public static Builder builder(ListenAddress address, PrometheusRegistry registry) {
    return new Builder(address, registry);
  }

  /** Starts listening; fails (with the address in the message) if the port is taken. */
  public HttpServer start() throws Exception {
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw new java.io.IOException("cannot listen on " + connector.getHost() + ":" + connector.getPort()
          + ": " + e.getMessage(), e);
    }
    LOG.info("listening for HTTP on {}:{}", connector.getHost(), port());
    return this;
  }

  /** The port listened on (the chosen one when 0 was asked for). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Stops accepting, lets requests in flight finish within the grace period, then stops. */
  @Override
  public void close() throws Exception {
    server.stop();
  }

  private final class Dispatcher extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      long start = System.nanoTime();
      String method = request.getMethod();
      String path = request.getHttpURI().getDecodedPath();
      Route route = null;
      ApiResponse answer;
      if (!path.startsWith(routePrefix)) {
        answer = ApiResponse.text(404, "404 page not found\n");
      } else {
        String local = path.substring(routePrefix.length());
        if (local.isEmpty()) {
          local = "/";
        }
        for (Route r : routes) {
          if (r.matches(local)) {
            route = r;
            break;
          }
        }
        answer = route == null ? ApiResponse.text(404, "404 page not found\n")
            : dispatch(route, method, local, request);
      }
      String handler = route == null ? "other" : route.pattern();
      requests.labelValues(handler, method, Integer.toString(answer.status())).inc();
      durations.labelValues(handler, method).observe((System.nanoTime() - start) / 1e9);
      response.setStatus(answer.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
      answer.headers().forEach(response.getHeaders()::put);
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
      return true;
    }

    private ApiResponse dispatch(Route route, String method, String path, Request request) {
      if (!route.methods().contains(method)) {
        return ApiResponse.text(405, "method " + method + " not allowed on " + path + "\n");
      }
      try {
        Map<String, List<String>> params = new LinkedHashMap<>();
        Fields fields = Request.getParameters(request);
        for (Fields.Field f : fields) {
          params.computeIfAbsent(f.getName(), k -> new ArrayList<>()).addAll(f.getValues());
        }
        return route.endpoint().handle(new ApiRequest(method, path, params));
      } catch (Exception e) {
        LOG.warn("{} {} failed: {}", method, path, e.toString());
        return ApiResponse.text(500, "internal error: " + e.getMessage() + "\n");
      }
    }
  }

  /** Routes and settings; {@code /-/healthy}, {@code /-/ready} and {@code /metrics} come built in. */
  public static final class Builder {
    private final ListenAddress address;
    private final PrometheusRegistry registry;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, String> redirects = new LinkedHashMap<>();
    private String routePrefix = "";
    private Duration gracePeriod = Duration.ofMinutes(2);
    private int maxThreads = 64;
    private BooleanSupplier ready = () -> true;

    private Builder(ListenAddress address, PrometheusRegistry registry) {
      this.address = address;
      this.registry = registry;
    }

    /** {@code pattern} exactly, or every path below it when it ends with {@code /}. */
    public Builder route(String pattern, Set<String> methods, Endpoint endpoint) {
      routes.add(new Route(pattern, pattern.endsWith("/"), Set.copyOf(methods), endpoint));
      return this;
    }

    public Builder get(String pattern, Endpoint endpoint) {
      return route(pattern, Set.of("GET"), endpoint);
    }

    public Builder getOrPost(String pattern, Endpoint endpoint) {
      return route(pattern, Set.of("GET", "POST"), endpoint);
    }

    /**
     * Answer GET {@code from} exactly with a redirect to {@code to}, both paths below the route
     * prefix; the {@code Location} has the prefix, so the redirect holds however the request's
     * path ended ({@code /strata} or {@code /strata/} for {@code /}).
     */
    public Builder redirect(String from, String to) {
      redirects.put(from, to);
      return this;
    }

    /** Serve everything below {@code prefix} (e.g. {@code /strata} behind a path-routing proxy). */
    public Builder routePrefix(String prefix) {
      String p = prefix == null ? "" : prefix.strip();
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      this.routePrefix = p.isEmpty() || p.startsWith("/") ? p : "/" + p;
      return this;
    }

    /** How long a stop waits for requests in flight (Thanos's {@code --http-grace-period}). */
    public Builder gracePeriod(Duration value) {
      this.gracePeriod = value;
      return this;
    }

    /** What {@code /-/ready} reports: 200 when true, 503 when false. */
    public Builder readiness(BooleanSupplier value) {
      this.ready = value;
      return this;
    }

    public Builder maxThreads(int value) {
      this.maxThreads = value;
      return this;
    }

    public HttpServer build() {
      BooleanSupplier isReady = ready;
      String prefix = routePrefix;
      // Exact routes, even for "/" (which route() would take as everything below it).
      redirects.forEach((from, to) -> routes.add(new Route(from, false, Set.of("GET"),
          r -> ApiResponse.redirect(prefix + to))));
      get("/-/healthy", r -> ApiResponse.text(200, "OK\n"));
      route("/-/ready", Set.of("GET", "HEAD"), r -> isReady.getAsBoolean()
          ? ApiResponse.text(200, "OK\n") : ApiResponse.text(503, "not ready\n"));
      ExpositionFormats formats = ExpositionFormats.init();
      get("/metrics", r -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
        formats.getPrometheusTextFormatWriter().write(out, registry.scrape());
        return new ApiResponse(200, "text/plain; version=0.0.4; charset=utf-8", out.toByteArray());
      });
      return new HttpServer(this);
    }
  }
}
