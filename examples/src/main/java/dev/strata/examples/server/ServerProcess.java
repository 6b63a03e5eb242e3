package dev.strata.examples.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server running as a child process (the demo's store gateway and querier, an end-to-end test's
 * servers), with its standard output and error in a log file; stopped by its PID, gracefully
 * (SIGTERM), then forcibly. A child that exits or does not come up in time is an {@link
 * IllegalStateException} carrying its log.
 */
public final class ServerProcess implements AutoCloseable {
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

  /**
   * {@code java <flags> -cp <this JVM's class path> <mainClass> <args...>}: a second JVM running
   * this program, with the JVM flags Strata needs ({@code --add-...}) as this one has them.
   */
  public static List<String> javaCommand(String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** Starts {@code command} with stdout and stderr in {@code log}. */
  public static ServerProcess start(String name, List<String> command, Path log) throws IOException {
    return start(name, new ProcessBuilder(command), log);
  }

  /**
   * Starts {@code builder}'s command (in its directory, with its environment) with stdout and
   * stderr in {@code log}, replacing it unless the builder already appends to it.
   */
  public static ServerProcess start(String name, ProcessBuilder builder, Path log) throws IOException {
    if (builder.redirectOutput().type() != ProcessBuilder.Redirect.Type.APPEND) {
      builder.redirectOutput(log.toFile());
    }
    Process p = builder.redirectErrorStream(true).start();
    return new ServerProcess(name, p, log);
  }

  public String name() {
    return name;
  }

  public URI base() {
    return base;
  }

  /** Waits until {@code GET /-/ready} answers 200 on {@code base}. */
  public void awaitReady(URI baseUri, HttpClient http) throws Exception {
    awaitOk(baseUri.resolve("/-/ready"), http);
    base = baseUri;
  }

  /** Waits until {@code GET url} answers 200; the process exiting or not answering in time fails. */
  public void awaitOk(URI url, HttpClient http) throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      checkAlive();
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + ": " + url + " did not answer 200 within " + STARTUP + ":\n" + log());
  }

  /** Waits until the log has a line starting with {@code prefix}, and returns that line. */
  public String awaitLogLine(String prefix) throws Exception {
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
    throw new IllegalStateException(name + " printed no line starting with " + prefix + ":\n" + log());
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  private void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
    }
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The port in the first log line starting with {@code prefix} and naming {@code http://host:port}. */
  public int awaitPort(String prefix) throws Exception {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://[^:/\\s]+:(\\d+)")
        .matcher(awaitLogLine(prefix));
    if (!m.find()) {
      throw new IllegalStateException(name + " named no port after " + prefix + ":\n" + log());
    }
    return Integer.parseInt(m.group(1));
  }

  /** The port in the first log line starting with {@code prefix} after {@code (gRPC) on host:}. */
  public int awaitGrpcPort(String prefix) throws Exception {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(gRPC\\) on \\S+:(\\d+)")
        .matcher(awaitLogLine(prefix));
    if (!m.find()) {
      throw new IllegalStateException(name + " named no gRPC port after " + prefix + ":\n" + log());
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * Waits up to {@code timeout} for the process to exit by itself; returns its exit code.
   *
   * @throws IllegalStateException if it is still running then
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " still runs after " + timeout + ":\n" + log());
    }
    return process.exitValue();
  }

  /** Kills the process at once (SIGKILL), as a crash would, and waits for it to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM, a wait, then SIGKILL if it is still running. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
