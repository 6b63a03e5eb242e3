package dev.strata.tsdb.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code promtool} and captures its output; for {@link Interop} tests. */
public final class Promtool {
  private static final long TIMEOUT_SECONDS = 300;

  private Promtool() {}

  /** The result of one promtool run. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Fails with promtool's output when it did not exit with 0. */
    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(
            "promtool exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }
  }

  /** Runs {@code promtool args...} in {@code workDir}. */
  public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    Path promtool =
        PrometheusToolsExtension.findOnPath("promtool")
            .orElseThrow(() -> new IllegalStateException("promtool is not on the PATH"));
    List<String> command = new ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    Path out = workDir.resolve(".promtool.stdout");
    Path err = workDir.resolve(".promtool.stderr");
    Process p =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool " + String.join(" ", args) + " timed out");
    }
    String stdout = java.nio.file.Files.readString(out, StandardCharsets.UTF_8);
    String stderr = java.nio.file.Files.readString(err, StandardCharsets.UTF_8);
    java.nio.file.Files.deleteIfExists(out);
    java.nio.file.Files.deleteIfExists(err);
    return new Result(p.exitValue(), stdout, stderr);
  }
}
