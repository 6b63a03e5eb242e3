package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.InfoRequest;
import dev.strata.tier.storeapi.proto.InfoResponse;
import dev.strata.tier.storeapi.proto.LabelNamesRequest;
import dev.strata.tier.storeapi.proto.LabelNamesResponse;
import dev.strata.tier.storeapi.proto.LabelValuesRequest;
import dev.strata.tier.storeapi.proto.LabelValuesResponse;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Thanos {@code thanos.Store} gRPC service over a {@link StoreSource}. An embedding service
 * starts a complete server, with the Info and health services, in one call:
 *
 * <pre>{@code
 * StoreApiServer server = StoreServer.start(new InetSocketAddress("0.0.0.0", 10901),
 *     new TsdbStoreSource(tsdb, Labels.of("cluster", "eu", "replica", "a")));
 * }</pre>
 *
 * <p>Over a bucket, as {@code thanos store}: {@code new BucketStoreSource(bucketStore)}.
 */
public final class StoreServer extends StoreGrpc.StoreImplBase {
  private final StoreSource source;
  private final SeriesStreamer series;
  private final LabelLookup labels;

  public StoreServer(StoreSource source) {
    this.source = Objects.requireNonNull(source, "source");
    this.series = new SeriesStreamer(source);
    this.labels = new LabelLookup(source);
  }

  /**
   * Starts a StoreAPI server on {@code address} (port 0 picks a free one).
   *
   * @throws IOException if the address cannot be bound
   */
  public static StoreApiServer start(InetSocketAddress address, StoreSource source)
      throws IOException {
    return StoreApiServer.start(address, source);
  }

  @Override
  public void info(InfoRequest request, StreamObserver<InfoResponse> out) {
    unary(() -> StoreInfos.storeInfo(source), out);
  }

  /**
   * The {@code Series} answer as messages, for a caller of this class's typed API (and a server
   * that binds it as generated); {@link #framedService} sends the same frames without building
   * them as messages.
   */
  @Override
  public void series(SeriesRequest request, StreamObserver<SeriesResponse> out) {
    FlowControlledSender<SeriesResponse> sender = new FlowControlledSender<>(out);
    seriesFrames(request, out, frame -> sender.accept(frame.toResponse()), sender::cancelled);
  }

  /**
   * The service, with {@code Series} answered by frames serialized as they are read (see {@link
   * SeriesFrame}); on the wire the same methods and messages as the generated service, which
   * {@code bindService()} gives.
   */
  public ServerServiceDefinition framedService() {
    ServerServiceDefinition generated = super.bindService();
    MethodDescriptor<SeriesRequest, SeriesFrame> series = StoreGrpc.getSeriesMethod()
        .toBuilder(StoreGrpc.getSeriesMethod().getRequestMarshaller(), new SeriesFrame.Marshaller())
        .build();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(StoreGrpc.SERVICE_NAME)
        .setSchemaDescriptor(generated.getServiceDescriptor().getSchemaDescriptor())
        .addMethod(series);
    for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
      if (!m.getMethodDescriptor().getFullMethodName().equals(series.getFullMethodName())) {
        descriptor.addMethod(m.getMethodDescriptor());
      }
    }
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build())
        .addMethod(series, ServerCalls.asyncServerStreamingCall((request, out) -> {
          FlowControlledSender<SeriesFrame> sender = new FlowControlledSender<>(out);
          seriesFrames(request, out, sender, sender::cancelled);
        }));
    for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
      if (!m.getMethodDescriptor().getFullMethodName().equals(series.getFullMethodName())) {
        b.addMethod(m);
      }
    }
    return b.build();
  }

  private void seriesFrames(SeriesRequest request, StreamObserver<?> out,
      Consumer<SeriesFrame> frames, BooleanSupplier cancelled) {
    try {
      series.stream(request, frames);
    } catch (RuntimeException e) {
      if (!cancelled.getAsBoolean()) {
        out.onError(StatusMapping.toStatus(e));
      }
      return;
    }
    out.onCompleted();
  }

  @Override
  public void labelNames(LabelNamesRequest request, StreamObserver<LabelNamesResponse> out) {
    unary(() -> labels.labelNames(request), out);
  }

  @Override
  public void labelValues(LabelValuesRequest request, StreamObserver<LabelValuesResponse> out) {
    unary(() -> labels.labelValues(request), out);
  }

  static <T> void unary(Supplier<T> answer, StreamObserver<T> out) {
    T response;
    try {
      response = answer.get();
    } catch (RuntimeException e) {
      StatusRuntimeException status = StatusMapping.toStatus(e);
      if (status.getStatus().getCode() != Status.Code.CANCELLED) {
        out.onError(status);
      }
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }
}
