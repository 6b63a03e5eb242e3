package dev.strata.examples.server;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where a Thanos-style component serves {@code /metrics} and its probes: {@code --http-address}
 * and the time a stop lets requests in flight finish. Part of {@link ServerAddresses}; alone for a
 * component that has no gRPC side, such as the compactor.
 */
public final class HttpAddress {
  @Option(names = "--http-address", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:10902",
      converter = ListenAddress.Converter.class,
      description = "Where to serve /metrics, /-/healthy and /-/ready (default ${DEFAULT-VALUE}).")
  ListenAddress address;

  @Option(names = "--http-grace-period", paramLabel = "DURATION", defaultValue = "2m",
      converter = ServerAddresses.GracePeriod.class,
      description = "How long a stop waits for HTTP requests in flight (default ${DEFAULT-VALUE}).")
  Duration gracePeriod;

  public ListenAddress address() {
    return address;
  }

  public Duration gracePeriod() {
    return gracePeriod;
  }
}
