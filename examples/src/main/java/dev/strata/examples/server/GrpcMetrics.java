package dev.strata.examples.server;

import dev.strata.tier.storeapi.SeriesFrame;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/**
 * gRPC server metrics under the names every Thanos component exports (those of
 * go-grpc-prometheus), so that the dashboards and alerts written for Thanos work on Strata's
 * servers; plus the series and chunks the StoreAPI sent.
 */
public final class GrpcMetrics implements ServerInterceptor {
  private final Counter started;
  private final Counter handled;
  private final Counter received;
  private final Counter sent;
  private final Histogram seconds;
  private final Counter seriesSent;
  private final Counter chunksSent;

  public GrpcMetrics(PrometheusRegistry registry) {
    String[] call = {"grpc_type", "grpc_service", "grpc_method"};
    started = Counter.builder().name("grpc_server_started_total")
        .help("RPCs started on the server.").labelNames(call).register(registry);
    handled = Counter.builder().name("grpc_server_handled_total")
        .help("RPCs completed on the server, whatever their outcome.")
        .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code").register(registry);
    received = Counter.builder().name("grpc_server_msg_received_total")
        .help("Stream messages received on the server.").labelNames(call).register(registry);
    sent = Counter.builder().name("grpc_server_msg_sent_total")
        .help("Stream messages sent by the server.").labelNames(call).register(registry);
    seconds = Histogram.builder().name("grpc_server_handling_seconds")
        .help("Time from the start of an RPC to its end, on the server.").labelNames(call)
        .classicUpperBounds(0.001, 0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120)
        .register(registry);
    seriesSent = Counter.builder().name("strata_storeapi_series_frames_sent_total")
        .help("Series frames sent in answer to StoreAPI Series calls.").register(registry);
    chunksSent = Counter.builder().name("strata_storeapi_chunks_sent_total")
        .help("Chunks sent in answer to StoreAPI Series calls.").register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    String type = method.getType().name().toLowerCase(Locale.ROOT).replace("_streaming", "_stream");
    String service = method.getServiceName();
    String name = method.getBareMethodName();
    long start = System.nanoTime();
    started.labelValues(type, service, name).inc();
    // Looked up once per call: a Series call sends a message per series.
    CounterDataPoint sentOfMethod = sent.labelValues(type, service, name);
    CounterDataPoint receivedOfMethod = received.labelValues(type, service, name);
    ServerCall<Q, R> counting = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        sentOfMethod.inc();
        if (message instanceof SeriesFrame f && f.series()) {
          seriesSent.inc();
          chunksSent.inc(f.chunks());
        } else if (message instanceof SeriesResponse r && r.hasSeries()) {
          seriesSent.inc();
          chunksSent.inc(r.getSeries().getChunksCount());
        }
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        handled.labelValues(type, service, name, codeName(status)).inc();
        seconds.labelValues(type, service, name).observe((System.nanoTime() - start) / 1e9);
        super.close(status, trailers);
      }
    };
    return new SimpleForwardingServerCallListener<>(next.startCall(counting, headers)) {
      @Override
      public void onMessage(Q message) {
        receivedOfMethod.inc();
        super.onMessage(message);
      }
    };
  }

  // Go's codes print in CamelCase (DeadlineExceeded), which the Thanos alerts match on.
  private static String codeName(Status status) {
    if (status.getCode() == Status.Code.OK) {
      return "OK";
    }
    if (status.getCode() == Status.Code.CANCELLED) {
      return "Canceled";
    }
    StringBuilder b = new StringBuilder();
    for (String part : status.getCode().name().split("_")) {
      b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return b.toString();
  }
}
