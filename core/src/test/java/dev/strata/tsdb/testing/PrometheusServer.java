package dev.strata.tsdb.testing;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.opentest4j.TestAbortedException;

/**
 * A real Prometheus 2.42 server on a data directory, with the admin API enabled, for tests that
 * need files only the server writes (tombstones after a deletion, blocks rewritten with parents, a
 * WAL compressed as Prometheus compresses it). Runs, fails or is skipped under the same rule as the
 * {@code @Interop} tests. Listens on a free loopback port.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;
  private final int port;
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /** Starts Prometheus on {@code dataDir}, keeping its config and log in {@code workDir}. */
  public static PrometheusServer start(Path workDir, Path dataDir) throws Exception {
    return start(workDir, dataDir, port -> "global:\n  scrape_interval: 1m\n");
  }

  /**
   * Starts Prometheus with the configuration {@code config} makes of the port it will listen on
   * (so that it can scrape itself).
   */
  public static PrometheusServer start(
      Path workDir, Path dataDir, java.util.function.IntFunction<String> config) throws Exception {
    return start(workDir, dataDir, config, 0, List.of());
  }

  /**
   * Starts Prometheus as {@link #start(Path, Path, java.util.function.IntFunction)} does, with
   * {@code extraArgs} added to its command line (e.g. {@code
   * --storage.tsdb.min-block-duration=2h}).
   */
  public static PrometheusServer start(Path workDir, Path dataDir,
      java.util.function.IntFunction<String> config, List<String> extraArgs) throws Exception {
    return start(workDir, dataDir, config, 0, extraArgs);
  }

  /**
   * Starts Prometheus on {@code port} (0: a free one; a given one to restart a stopped server
   * where its clients expect it), with {@code extraArgs} after the usual flags.
   */
  public static PrometheusServer start(Path workDir, Path dataDir,
      java.util.function.IntFunction<String> config, int port, List<String> extraArgs)
      throws Exception {
    Path binary =
        PrometheusToolsExtension.findOnPath("prometheus")
            .orElseThrow(
                () -> {
                  String message = "prometheus (2.42) is not on the PATH";
                  if ("required".equals(System.getenv("STRATA_INTEROP"))) {
                    return new IllegalStateException(message + " (STRATA_INTEROP=required)");
                  }
                  return new TestAbortedException("skipped: " + message);
                });
    if (port == 0) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
    }
    Path configFile = workDir.resolve("prometheus.yml");
    Files.writeString(configFile, config.apply(port));
    Path log = workDir.resolve("prometheus.log");
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--config.file=" + configFile);
    command.add("--storage.tsdb.path=" + dataDir);
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.add("--web.enable-admin-api");
    // The test data is from 2023; keep it from expiring.
    command.add("--storage.tsdb.retention.time=100y");
    command.addAll(extraArgs);
    Process p =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server = new PrometheusServer(p, log, port);
    try {
      server.awaitReady();
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(base.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("prometheus was not ready within " + STARTUP + ":\n" + log());
  }

  /** The port it listens on, on the loopback address. */
  public int port() {
    return port;
  }

  /** Its base URL, e.g. {@code http://127.0.0.1:9090}. */
  public URI baseUri() {
    return base;
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** POSTs a form to an admin endpoint and expects 204 No Content. */
  public void admin(String path, Map<String, String> form) throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/v1/admin/tsdb/" + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 204) {
      throw new AssertionError(
          path + " answered " + r.statusCode() + ": " + r.body() + "\n" + log());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the server gracefully (SIGTERM), forcibly if it takes too long. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
