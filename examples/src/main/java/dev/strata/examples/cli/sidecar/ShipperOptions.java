package dev.strata.examples.cli.sidecar;

import dev.strata.examples.cli.OptionTypes;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The shipper's flag, shared by every command that ships blocks (sidecar, jvm-metrics). */
public final class ShipperOptions {
  @Option(names = "--shipper.sync-interval", paramLabel = "DURATION", defaultValue = "30s",
      converter = OptionTypes.PositivePrometheusDuration.class, hidden = true,
      description = "How often new blocks are looked for and shipped (default ${DEFAULT-VALUE},"
          + " as Thanos).")
  Duration syncInterval;

  /** How often the shipper looks for new blocks. */
  public Duration syncInterval() {
    return syncInterval;
  }
}
