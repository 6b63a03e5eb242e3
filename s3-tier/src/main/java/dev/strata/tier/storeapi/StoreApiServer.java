package dev.strata.tier.storeapi;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A running gRPC server with the StoreAPI ({@code thanos.Store}), the Info API
 * ({@code thanos.info.Info}) and the standard health service, as every Thanos gRPC server has.
 * {@link #close()} stops it, letting calls in flight finish for a grace period.
 */
public final class StoreApiServer implements AutoCloseable {

  /** How long {@link #close()} waits for calls in flight before cutting them. */
  static final Duration GRACE_PERIOD = Duration.ofSeconds(5);

  private final Server server;
  private final HealthStatusManager health;

  private StoreApiServer(Server server, HealthStatusManager health) {
    this.server = server;
    this.health = health;
  }

  static StoreApiServer start(InetSocketAddress address, StoreSource source) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    Server server =
        NettyServerBuilder.forAddress(address)
            // Thanos lifts gRPC's 4 MiB message limit on both sides: a frame is as big as it is.
            .maxInboundMessageSize(Integer.MAX_VALUE)
            // Thanos's clients ping every 10 s while a call is open; gRPC's default would refuse.
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .addService(new StoreServer(source))
            .addService(new InfoService(source))
            .addService(health.getHealthService())
            .build()
            .start();
    health.setStatus("", ServingStatus.SERVING);
    return new StoreApiServer(server, health);
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
      if (!server.awaitTermination(GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow().awaitTermination(GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
