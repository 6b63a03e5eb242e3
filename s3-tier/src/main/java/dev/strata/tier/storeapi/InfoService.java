package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.info.InfoGrpc;
import dev.strata.tier.storeapi.proto.info.InfoRequest;
import dev.strata.tier.storeapi.proto.info.InfoResponse;
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/** The {@code thanos.info.Info} gRPC service: which APIs this server offers, and their range. */
public final class InfoService extends InfoGrpc.InfoImplBase {
  private final StoreSource source;

  public InfoService(StoreSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  @Override
  public void info(InfoRequest request, StreamObserver<InfoResponse> out) {
    StoreServer.unary(() -> StoreInfos.info(source), out);
  }
}
