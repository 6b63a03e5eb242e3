package dev.strata.tier.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.strata.tier.prometheus.proto.Label;
import dev.strata.tier.prometheus.proto.QueryResult;
import dev.strata.tier.prometheus.proto.ReadRequest;
import dev.strata.tier.prometheus.proto.ReadResponse;
import dev.strata.tier.prometheus.proto.Sample;
import dev.strata.tier.prometheus.proto.TimeSeries;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.StoreServer;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.LabelMatcher;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Xxh64;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * A Prometheus that answers remote read with raw samples rather than streamed chunks (real
 * Prometheus streams whenever asked, so a stand-in answers here): the series are still served on
 * the StoreAPI sorted, with the external labels, in XOR chunks of at most 120 samples.
 */
class PrometheusSampledFallbackTest {
  private static final Labels EXTERNAL = Labels.of("cluster", "eu");

  @Test
  void sampledAnswersAreServedAsChunksOfAtMost120Samples() throws Exception {
    Map<String, Object> seen = new ConcurrentHashMap<>();
    HttpServer prometheus =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    prometheus.createContext(
        "/prefix/api/v1/read",
        exchange -> {
          seen.put("content-encoding", exchange.getRequestHeaders().getFirst("Content-Encoding"));
          seen.put("content-type", exchange.getRequestHeaders().getFirst("Content-Type"));
          seen.put(
              "version", exchange.getRequestHeaders().getFirst("X-Prometheus-Remote-Read-Version"));
          seen.put(
              "request",
              ReadRequest.parseFrom(Snappy.uncompress(exchange.getRequestBody().readAllBytes())));
          // Unsorted, external labels merged in, as Prometheus's sampled answer comes.
          byte[] body =
              Snappy.compress(
                  ReadResponse.newBuilder()
                      .addResults(
                          QueryResult.newBuilder()
                              .addTimeseries(series("z", 3))
                              .addTimeseries(series("a", 250)))
                      .build()
                      .toByteArray());
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.getResponseHeaders().set("Content-Encoding", "snappy");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    prometheus.start();
    PrometheusClient client =
        new PrometheusClient(
            URI.create("http://127.0.0.1:" + prometheus.getAddress().getPort() + "/prefix/"),
            Duration.ofSeconds(10));
    PrometheusStoreSource source = new PrometheusStoreSource(client, () -> EXTERNAL, () -> 1000);
    List<SeriesResponse> frames = new ArrayList<>();
    try (StoreApiServer server =
        StoreServer.start(new InetSocketAddress("127.0.0.1", 0), source)) {
      ManagedChannel channel =
          NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
      try {
        StoreGrpc.newBlockingStub(channel)
            .series(
                SeriesRequest.newBuilder()
                    .setMinTime(0)
                    .setMaxTime(10_000_000)
                    .addMatchers(
                        LabelMatcher.newBuilder()
                            .setType(LabelMatcher.Type.RE)
                            .setName("__name__")
                            .setValue(".+"))
                    .build())
            .forEachRemaining(frames::add);
      } finally {
        channel.shutdownNow();
      }
    } finally {
      prometheus.stop(0);
    }

    assertEquals("snappy", seen.get("content-encoding"));
    assertEquals("application/x-stream-protobuf", seen.get("content-type"));
    assertEquals("0.1.0", seen.get("version"));
    ReadRequest request = (ReadRequest) seen.get("request");
    assertEquals(
        List.of(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS, ReadRequest.ResponseType.SAMPLES),
        request.getAcceptedResponseTypesList());
    assertEquals(1, request.getQueriesCount());
    assertEquals(1000, request.getQueries(0).getStartTimestampMs(), "clipped to the min time");
    assertEquals(10_000_000, request.getQueries(0).getEndTimestampMs());

    assertEquals(2, frames.size());
    assertEquals("__name__=a,cluster=eu", labels(frames.get(0)));
    assertEquals("__name__=z,cluster=eu", labels(frames.get(1)));
    List<AggrChunk> chunks = frames.get(0).getSeries().getChunksList();
    List<Integer> counts = new ArrayList<>();
    long expectedT = 0;
    for (AggrChunk c : chunks) {
      byte[] data = c.getRaw().getData().toByteArray();
      assertEquals(Xxh64.hash(data, 0, data.length), c.getRaw().getHash());
      XorChunkIterator it = new XorChunkIterator().reset(data, 0, data.length);
      counts.add(it.numSamples());
      assertEquals(expectedT, c.getMinTime());
      while (it.next()) {
        assertEquals(expectedT, it.atT());
        assertEquals(expectedT / 15_000 * 0.25, it.atV());
        expectedT += 15_000;
      }
      assertEquals(expectedT - 15_000, c.getMaxTime());
    }
    assertEquals(List.of(120, 120, 10), counts);
    assertTrue(frames.get(1).getSeries().getChunks(0).hasRaw());
  }

  private static TimeSeries series(String name, int samples) {
    TimeSeries.Builder b =
        TimeSeries.newBuilder()
            .addLabels(Label.newBuilder().setName("__name__").setValue(name))
            .addLabels(Label.newBuilder().setName("cluster").setValue("eu"));
    for (int i = 0; i < samples; i++) {
      b.addSamples(Sample.newBuilder().setTimestamp(i * 15_000L).setValue(i * 0.25));
    }
    return b.build();
  }

  private static String labels(SeriesResponse frame) {
    List<String> out = new ArrayList<>();
    for (dev.strata.tier.storeapi.proto.Label l : frame.getSeries().getLabelsList()) {
      out.add(l.getName() + "=" + l.getValue());
    }
    return String.join(",", out);
  }
}
