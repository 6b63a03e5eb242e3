package dev.strata.examples.promql;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A query server running as a child process, with its log file; stopped gracefully, then forcibly.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final String name;
  private final Process process;
  private final Path log;
  private URI base;

  private ServerProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with stdout and stderr in {@code log}. */
  static ServerProcess start(String name, java.util.List<String> command, Path log) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ServerProcess(name, p, log);
  }

  String name() {
    return name;
  }

  URI base() {
    return base;
  }

  /** Waits until {@code GET /-/ready} answers 200 on {@code base}. */
  void awaitReady(URI baseUri, HttpClient http) throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      checkAlive();
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(baseUri.resolve("/-/ready"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          base = baseUri;
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " was not ready within " + STARTUP + ":\n" + log());
  }

  /** Waits until the log has a line starting with {@code prefix}, and returns that line. */
  String awaitLogLine(String prefix) throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : log().split("\n")) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      checkAlive();
      Thread.sleep(100);
    }
    throw new AssertionError(name + " printed no line starting with " + prefix + ":\n" + log());
  }

  private void checkAlive() {
    if (!process.isAlive()) {
      throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM, a wait, then SIGKILL if it is still running. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
