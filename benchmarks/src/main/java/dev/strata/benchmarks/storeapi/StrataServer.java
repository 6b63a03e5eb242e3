package dev.strata.benchmarks.storeapi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code strata} server (sidecar, store, compact) as a child JVM with a heap limit, its output
 * in a log; found by the ports it prints, read through {@code /metrics}, stopped by SIGTERM.
 */
public final class StrataServer implements AutoCloseable {
  // The gRPC port is printed by the servers that have one.
  private static final Pattern PORTS = Pattern.compile(
      "HTTP on http://[^:]+:(\\d+)(?:, StoreAPI \\(gRPC\\) on [^:]+:(\\d+))?");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Path log;
  final int httpPort;
  /** -1 for a server without gRPC. */
  final int grpcPort;

  private StrataServer(Process process, Path log, int httpPort, int grpcPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
  }

  /**
   * Starts {@code strata <args>} with {@code -Xmx<heap>} and the flags in the environment
   * variable {@code STRATA_JVM_FLAGS}, waiting until it is ready.
   */
  public static StrataServer start(Path strataJar, Path jvmOptions, String heap, Path log,
      String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + jvmOptions, "-Xmx" + heap));
    String extra = System.getenv("STRATA_JVM_FLAGS"); // e.g. a profiler's flags
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", strataJar.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("strata " + args[0] + " exited:\n" + Files.readString(log));
      }
      Matcher m = PORTS.matcher(Files.readString(log));
      if (m.find()) {
        StrataServer s = new StrataServer(p, log, Integer.parseInt(m.group(1)),
            m.group(2) == null ? -1 : Integer.parseInt(m.group(2)));
        while (s.status("/-/ready") != 200) {
          Thread.sleep(100);
        }
        return s;
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new IOException("strata " + args[0] + " did not start:\n" + Files.readString(log));
  }

  int status(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The value of the first sample of {@code metric} (name and labels as exposed), or -1. */
  public double metric(String metric) throws Exception {
    String body = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    for (String line : body.split("\n")) {
      if (line.startsWith(metric + " ")) {
        return Double.parseDouble(line.substring(metric.length() + 1).trim());
      }
    }
    return -1;
  }

  /** Seconds the server spent on Series calls so far, start to end, and how many. */
  double[] seriesHandling() throws Exception {
    String labels = "{grpc_method=\"Series\",grpc_service=\"thanos.Store\",grpc_type=\"server_stream\"}";
    return new double[] {metric("grpc_server_handling_seconds_sum" + labels),
        metric("grpc_server_handling_seconds_count" + labels)};
  }

  /** Heap in use now, from the JVM metrics. */
  public double heapUsed() throws Exception {
    return metric("jvm_memory_used_bytes{area=\"heap\"}");
  }

  /** The process's peak resident set (VmHWM), in bytes. */
  public long peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
