package dev.strata.examples.cli;

import dev.strata.examples.embedded.JvmMetricsService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata jvm-metrics}: runs the embedding example for a while and reports what it kept. */
@Command(
    name = "jvm-metrics",
    description = "Run the embedding example: a service recording its own JVM metrics into Strata every second.")
final class JvmMetricsCommand implements Callable<Integer> {
  @Option(names = "--data-dir", defaultValue = "strata-jvm-metrics", description = "Database directory (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--seconds", defaultValue = "10", converter = OptionTypes.Positive.class, description = "How long to record (default ${DEFAULT-VALUE}).")
  int seconds;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (JvmMetricsService metrics = JvmMetricsService.start(dataDir, Duration.ofSeconds(1))) {
      // Some work for the metrics to show.
      long start = System.currentTimeMillis();
      long deadline = start + seconds * 1000L;
      java.util.List<byte[]> garbage = new java.util.ArrayList<>();
      try (Progress progress = Progress.onTerminal(spec.commandLine().getErr(), () -> String.format(
          "recording: %d of %d s, %,d samples", (System.currentTimeMillis() - start) / 1000,
          seconds, metrics.samplesRecorded()))) {
        while (System.currentTimeMillis() < deadline) {
          garbage.add(new byte[1 << 16]);
          if (garbage.size() > 200) {
            garbage.clear();
          }
          Thread.sleep(5);
        }
      }
      metrics.report(spec.commandLine().getOut(), Duration.ofMinutes(10));
    }
    return 0;
  }
}
