package dev.strata.examples.cli;

import dev.strata.examples.server.ServerAddresses;
import dev.strata.tier.compact.CompactorOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Retention per resolution, with Thanos's compactor flags: {@code --retention.resolution-raw},
 * {@code -5m} and {@code -1h}; {@code 0d}, the default, keeps blocks for ever.
 */
public final class RetentionOptions {
  @Option(names = "--retention.resolution-raw", paramLabel = "DURATION", defaultValue = "0d",
      converter = ServerAddresses.GracePeriod.class,
      description = "How long raw blocks are kept; 0d keeps them for ever (default ${DEFAULT-VALUE}).")
  Duration raw;

  @Option(names = "--retention.resolution-5m", paramLabel = "DURATION", defaultValue = "0d",
      converter = ServerAddresses.GracePeriod.class,
      description = "How long 5m blocks are kept; 0d keeps them for ever (default ${DEFAULT-VALUE}).")
  Duration fiveMinutes;

  @Option(names = "--retention.resolution-1h", paramLabel = "DURATION", defaultValue = "0d",
      converter = ServerAddresses.GracePeriod.class,
      description = "How long 1h blocks are kept; 0d keeps them for ever (default ${DEFAULT-VALUE}).")
  Duration oneHour;

  /** Sets these retentions on {@code options}. */
  public CompactorOptions.Builder applyTo(CompactorOptions.Builder options) {
    return options.retention(raw, fiveMinutes, oneHour);
  }
}
