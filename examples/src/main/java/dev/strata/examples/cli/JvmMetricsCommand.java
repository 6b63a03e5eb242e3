package dev.strata.examples.cli;

import dev.strata.examples.cli.sidecar.ShipperOptions;
import dev.strata.examples.embedded.JvmMetricsService;
import dev.strata.examples.server.LoggingOptions;
import dev.strata.examples.server.ServerAddresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata jvm-metrics}: the embedding example. Alone, it records for a while and reports what
 * it kept. With any server option it runs as a member of the global view until stopped, as a
 * Prometheus with its sidecar would, but in one process ({@link JvmMetricsServer}).
 */
@Command(
    name = "jvm-metrics",
    description = {
        "Run the embedding example: a service recording its own JVM metrics into Strata every second.",
        "Alone, it records for --seconds and prints a report. Given any server option"
            + " (--grpc-address, --http-address, --objstore.config-file, --label, the grace"
            + " periods), it runs until stopped, serving"
            + " its data over the StoreAPI and, with a bucket, shipping its blocks there,"
            + " as thanos sidecar does for a Prometheus."})
final class JvmMetricsCommand implements Callable<Integer> {
  /** The options that make the command a server; the report mode has none of them. */
  static final List<String> SERVER_OPTIONS = List.of("--grpc-address", "--http-address",
      "--grpc-grace-period", "--http-grace-period", "--objstore.config-file", "--label",
      "--tsdb.block-duration", "--shipper.sync-interval");

  @Option(names = "--data-dir", defaultValue = "strata-jvm-metrics", description = "Database directory (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--seconds", defaultValue = "10", converter = OptionTypes.Positive.class, description = "How long to record before the report (default ${DEFAULT-VALUE}); not with the server options.")
  int seconds;

  // Prometheus's --storage.tsdb.min-block-duration, hidden as there: 2 h suits every real use.
  @Option(names = "--tsdb.block-duration", paramLabel = "DURATION", defaultValue = "2h",
      converter = OptionTypes.PositivePrometheusDuration.class, hidden = true,
      description = "The time range of the blocks the database cuts (default ${DEFAULT-VALUE}).")
  Duration blockDuration;

  @Mixin ShipperOptions shipping;

  @Mixin ServerAddresses addresses;
  @Mixin ObjstoreOptions objstore;
  @Mixin ExternalLabelOptions externalLabels;
  @Mixin LoggingOptions logging;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var parsed = spec.commandLine().getParseResult();
    if (SERVER_OPTIONS.stream().anyMatch(parsed::hasMatchedOption)) {
      if (parsed.hasMatchedOption("--seconds")) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--seconds is for the"
            + " report; with server options the service runs until it is stopped");
      }
      return new JvmMetricsServer(this).run();
    }
    return report();
  }

  private int report() throws Exception {
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
