package dev.strata.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.TsdbStoreSource;
import dev.strata.tier.storeapi.proto.LabelMatcher;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.labels.Labels;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The StoreAPI server sends its {@code Series} frames pre-serialized: the metrics must still count
 * every frame, series and chunk sent, as they did when the frames were messages.
 */
class GrpcMetricsTest {

  @Test
  void countsTheSeriesAndChunksOfPreSerializedFrames(@TempDir Path dir) throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    long series = 0;
    long chunks = 0;
    try (Tsdb db = TestTsdb.open(dir)) {
      TestTsdb.fill(db, 30, 3, 0, 6 * TestTsdb.HOUR, 60_000, 1);
      try (StoreApiServer server = StoreApiServer.builder(new InetSocketAddress("127.0.0.1", 0),
              new TsdbStoreSource(db, Labels.of("replica", "a")))
          .intercept(new GrpcMetrics(registry)).start()) {
        ManagedChannel channel =
            NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
          Iterator<SeriesResponse> it = StoreGrpc.newBlockingStub(channel).series(
              SeriesRequest.newBuilder().setMinTime(0).setMaxTime(6 * TestTsdb.HOUR)
                  .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE)
                      .setName("__name__").setValue("metric_.*"))
                  .build());
          while (it.hasNext()) {
            SeriesResponse r = it.next();
            if (r.hasSeries()) {
              series++;
              chunks += r.getSeries().getChunksCount();
            }
          }
        } finally {
          channel.shutdownNow();
        }
      }
    }
    assertEquals(30, series);
    assertTrue(chunks > series, "more than a chunk per series over 6 h: " + chunks);
    assertEquals(series, counter(registry, "strata_storeapi_series_frames_sent"));
    assertEquals(chunks, counter(registry, "strata_storeapi_chunks_sent"));
    assertEquals(series, counter(registry, "grpc_server_msg_sent"));
  }

  private static long counter(PrometheusRegistry registry, String name) {
    for (MetricSnapshot m : registry.scrape()) {
      if (m.getMetadata().getName().equals(name)) {
        return (long) ((CounterSnapshot) m).getDataPoints().stream()
            .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
      }
    }
    throw new AssertionError("no metric " + name);
  }
}
