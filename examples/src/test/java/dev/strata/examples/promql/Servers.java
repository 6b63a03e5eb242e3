package dev.strata.examples.promql;

import dev.strata.examples.cli.StrataCommand;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tsdb.query.Closing;
import dev.strata.tsdb.testing.ChildJvm;
import dev.strata.tsdb.testing.PrometheusToolsExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Starts the two servers the differential tests compare, and copies data directories for them. */
final class Servers {
  private Servers() {}

  /**
   * Starts Prometheus 2.42 on {@code data} with {@code config} (its port is not known to the config),
   * its files in {@code work}; {@code started} receives the process before it is ready, so that the
   * caller can stop it whatever happens next.
   */
  static ServerProcess prometheus(Path work, Path data, String config, ApiClient client,
      java.util.function.Consumer<ServerProcess> started) throws Exception {
    Path binary = PrometheusToolsExtension.findOnPath("prometheus")
        .orElseThrow(() -> new AssertionError("prometheus is not on the PATH"));
    Path configFile = Files.writeString(work.resolve("prometheus-" + data.getFileName() + ".yml"), config);
    int port = freePort();
    ServerProcess server = ServerProcess.start("prometheus", List.of(binary.toString(),
        "--config.file=" + configFile,
        "--storage.tsdb.path=" + data,
        "--storage.tsdb.retention.time=10y",
        "--web.listen-address=127.0.0.1:" + port), work.resolve("prometheus-" + data.getFileName() + ".log"));
    started.accept(server);
    server.awaitReady(URI.create("http://127.0.0.1:" + port), client.http());
    return server;
  }

  /** Starts {@code strata serve --read-only} on {@code data} in a child JVM, on a port it picks. */
  static ServerProcess strata(Path work, Path data, ApiClient client,
      java.util.function.Consumer<ServerProcess> started) throws Exception {
    ServerProcess server = ServerProcess.start("strata serve", ChildJvm.command(work.resolve("child-tmp"), StrataCommand.class,
        "serve", "--read-only", "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:0"),
        work.resolve("strata-" + data.getFileName() + ".log"));
    started.accept(server);
    String line = server.awaitLogLine("strata serve: ");
    String url = line.substring(line.lastIndexOf(" on ") + " on ".length()).strip();
    server.awaitReady(URI.create(url), client.http());
    return server;
  }

  /** Closes each part in order, the others even if one fails; nulls (never started) are skipped. */
  static void closeAll(AutoCloseable... parts) {
    Closing.closeAll(java.util.Arrays.asList(parts), c -> {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException("stopping " + c + " failed", e);
      }
    });
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Copies the directory tree {@code from} to {@code to}. */
  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
