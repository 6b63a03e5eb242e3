package dev.strata.benchmarks.storeapi;

import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.LabelMatcher;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Iterator;

/**
 * One StoreAPI {@code Series} call over every benchmark series, consumed as a Thanos querier
 * consumes it (frames read as they come); counts what it received without decoding chunks.
 */
final class SeriesCall implements AutoCloseable {
  /** As a querier fetching whole series would set it: several frames in flight, not one. */
  static final int FLOW_CONTROL_WINDOW = Integer.getInteger("flowControlWindow", 8 << 20);

  private final ManagedChannel channel;
  private final StoreGrpc.StoreBlockingStub stub;

  SeriesCall(int port) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .maxInboundMessageSize(Integer.MAX_VALUE).flowControlWindow(FLOW_CONTROL_WINDOW).build();
    stub = StoreGrpc.newBlockingStub(channel);
  }

  record Result(double seconds, long series, long chunks, long samples, long bytes) {
    double seriesPerSecond() {
      return series / seconds;
    }

    double samplesPerSecond() {
      return samples / seconds;
    }
  }

  Result run(long mint, long maxt) {
    SeriesRequest request = SeriesRequest.newBuilder().setMinTime(mint).setMaxTime(maxt)
        .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName("__name__")
            .setValue("bench_metric_.*"))
        .build();
    long t0 = System.nanoTime();
    long series = 0;
    long chunks = 0;
    long samples = 0;
    long bytes = 0;
    Iterator<SeriesResponse> it = stub.series(request);
    while (it.hasNext()) {
      SeriesResponse r = it.next();
      if (!r.hasSeries()) {
        continue;
      }
      series++;
      bytes += r.getSerializedSize();
      for (AggrChunk c : r.getSeries().getChunksList()) {
        chunks++;
        samples += SeriesData.xorSamples(c.getRaw().getData());
      }
    }
    return new Result((System.nanoTime() - t0) / 1e9, series, chunks, samples, bytes);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
