package dev.strata.tier.storeapi;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A running gRPC server with the StoreAPI ({@code thanos.Store}), the Info API
 * ({@code thanos.info.Info}) and the standard health service, as every Thanos gRPC server has.
 * {@link #close()} stops it, letting calls in flight finish for a grace period.
 */
public final class StoreApiServer implements AutoCloseable {

  /** How long {@link #close()} waits for calls in flight before cutting them, by default. */
  static final Duration GRACE_PERIOD = Duration.ofSeconds(5);

  private final Server server;
  private final HealthStatusManager health;
  private final Duration gracePeriod;

  private StoreApiServer(Server server, HealthStatusManager health, Duration gracePeriod) {
    this.server = server;
    this.health = health;
    this.gracePeriod = gracePeriod;
  }

  static StoreApiServer start(InetSocketAddress address, StoreSource source) throws IOException {
    return builder(address, source).start();
  }

  /** A server for {@code source} on {@code address} (port 0 picks a free one), to configure. */
  public static Builder builder(InetSocketAddress address, StoreSource source) {
    return new Builder(address, source);
  }

  /** The bound port (the chosen one when started on port 0). */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow().awaitTermination(GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** How a {@link StoreApiServer} is started. */
  public static final class Builder {
    private final InetSocketAddress address;
    private final StoreSource source;
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private Duration gracePeriod = GRACE_PERIOD;

    private Builder(InetSocketAddress address, StoreSource source) {
      this.address = Objects.requireNonNull(address, "address");
      this.source = Objects.requireNonNull(source, "source");
    }

    /** How long a stop lets calls in flight finish (Thanos's {@code --grpc-grace-period}). */
    public Builder gracePeriod(Duration value) {
      this.gracePeriod = Objects.requireNonNull(value, "gracePeriod");
      return this;
    }

    /** Sees every call to every service (metrics, say). */
    public Builder intercept(ServerInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException if the address cannot be bound
     */
    public StoreApiServer start() throws IOException {
      HealthStatusManager health = new HealthStatusManager();
      NettyServerBuilder b =
          NettyServerBuilder.forAddress(address)
              // Thanos lifts gRPC's 4 MiB message limit on both sides: a frame is as big as it is.
              .maxInboundMessageSize(Integer.MAX_VALUE)
              // Thanos's clients ping every 10 s while a call is open; gRPC's default would refuse.
              .permitKeepAliveTime(5, TimeUnit.SECONDS)
              .addService(new StoreServer(source).framedService())
              .addService(new InfoService(source))
              .addService(health.getHealthService());
      interceptors.forEach(b::intercept);
      Server server;
      try {
        server = b.build().start();
      } catch (IOException e) {
        throw new IOException("cannot listen for gRPC on " + address.getHostString() + ":"
            + address.getPort() + ": " + e.getMessage(), e);
      }
      health.setStatus("", ServingStatus.SERVING);
      return new StoreApiServer(server, health, gracePeriod);
    }
  }
}
