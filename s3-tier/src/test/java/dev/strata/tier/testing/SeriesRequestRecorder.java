package dev.strata.tier.testing;

import dev.strata.tier.storeapi.proto.SeriesRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;

/** A StoreAPI server interceptor that adds every {@code Series} request received to a list. */
public final class SeriesRequestRecorder implements ServerInterceptor {
  private final List<SeriesRequest> sink;

  /** {@code sink} must take additions from gRPC's threads (e.g. a CopyOnWriteArrayList). */
  public SeriesRequestRecorder(List<SeriesRequest> sink) {
    this.sink = sink;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (!call.getMethodDescriptor().getFullMethodName().equals("thanos.Store/Series")) {
      return listener;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<Q>(listener) {
      @Override
      public void onMessage(Q message) {
        sink.add((SeriesRequest) message);
        super.onMessage(message);
      }
    };
  }
}
