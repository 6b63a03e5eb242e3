package dev.strata.examples.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server started as a child process for an end-to-end test: its standard output is watched for
 * the line that tells the port it listens on, its standard error goes to a file for the failure
 * message, and {@link #close()} stops it by its PID (SIGTERM, then SIGKILL after a grace period).
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final Path stderr;
  private final int port;
  private final StringBuilder stdout = new StringBuilder();

  private ServerProcess(Process process, Path stderr, int port) {
    this.process = process;
    this.stderr = stderr;
    this.port = port;
  }

  /**
   * Starts {@code command} and waits until its standard output has a line matching {@code
   * listening}, whose first group is the port.
   */
  public static ServerProcess start(List<String> command, Path workDir, Pattern listening)
      throws IOException, InterruptedException {
    Path stderr = Files.createTempFile(workDir, "server", ".stderr");
    Process p = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectError(stderr.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          Matcher m = listening.matcher(line);
          if (m.find()) {
            return Integer.parseInt(m.group(1));
          }
        }
        return -1;
      } catch (IOException e) {
        return -1;
      }
    });
    int found;
    try {
      found = port.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      found = -1;
    }
    if (found < 0) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("the server did not start: " + String.join(" ", command)
          + "\n" + Files.readString(stderr));
    }
    // Keep draining stdout so the child never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (IOException ignored) {
        // the process ended
      }
    }, "server-stdout");
    drain.setDaemon(true);
    drain.start();
    return new ServerProcess(p, stderr, found);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** What the server has logged so far. */
  public String stderr() throws IOException {
    return Files.readString(stderr);
  }

  /** Sends SIGTERM and waits for the exit; the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
