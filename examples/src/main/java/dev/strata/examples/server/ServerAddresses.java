package dev.strata.examples.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a Thanos-style component listens, with Thanos's flag names and defaults: the StoreAPI on
 * {@code --grpc-address}, {@code /metrics} and the probes on {@code --http-address} ({@link
 * HttpAddress}, alone for a component without gRPC), each with the time a stop lets requests in
 * flight finish.
 */
public final class ServerAddresses {
  @Option(names = "--grpc-address", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:10901",
      converter = ListenAddress.Converter.class,
      description = "Where to serve the gRPC StoreAPI (default ${DEFAULT-VALUE}).")
  ListenAddress grpc;

  @Mixin HttpAddress http;

  @Option(names = "--grpc-grace-period", paramLabel = "DURATION", defaultValue = "2m",
      converter = GracePeriod.class,
      description = "How long a stop waits for gRPC calls in flight (default ${DEFAULT-VALUE}).")
  Duration grpcGracePeriod;

  public ListenAddress grpc() {
    return grpc;
  }

  public InetSocketAddress grpcSocket() {
    return new InetSocketAddress(grpc.host(), grpc.port());
  }

  public ListenAddress http() {
    return http.address();
  }

  public Duration grpcGracePeriod() {
    return grpcGracePeriod;
  }

  public Duration httpGracePeriod() {
    return http.gracePeriod();
  }

  /** A grace period: a Prometheus duration, zero allowed (stop at once). */
  public static final class GracePeriod implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Duration.ofMillis(dev.strata.promql.parser.Durations.parse(value));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (e.g. 30s, 2m): " + e.getMessage());
      }
    }
  }
}
