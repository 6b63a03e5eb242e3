package dev.strata.tier.prometheus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tier.prometheus.proto.ChunkedReadResponse;
import dev.strata.tier.prometheus.proto.ChunkedSeries;
import dev.strata.tier.prometheus.proto.Label;
import dev.strata.tier.storeapi.ComponentType;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.StoreServer;
import dev.strata.tier.storeapi.StoreSource;
import dev.strata.tier.storeapi.proto.LabelMatcher;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SeriesSet;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The sidecar's {@code Series} answer written straight from Prometheus's frame bytes is, byte for
 * byte and frame for frame, the answer of the generic path (remote read frames parsed into
 * messages, series joined and served through the StoreAPI server's merge): for random label sets,
 * external labels, replica labels removed, chunk counts and sizes (past the frame cut of 1 MiB),
 * series split across frames, encodings the StoreAPI cannot carry, a last frame that is not a
 * {@code ChunkedReadResponse}, skip_chunks and both partial response strategies. A stand-in Prometheus serves each try's frames.
 */
class RawSeriesTranscodingPropertiesTest {
  private static final String STREAMED_TYPE =
      "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

  private static volatile byte[] body = new byte[0];
  private static volatile List<String> labelNames = List.of();
  private static volatile Labels external = Labels.EMPTY;

  private static HttpServer prometheus;
  private static StoreApiServer transcoding;
  private static StoreApiServer generic;
  private static ManagedChannel toTranscoding;
  private static ManagedChannel toGeneric;

  /** A series as Prometheus stores it, with its chunks; cut into parts across frames. */
  record StoredSeries(Map<String, String> labels, List<Chunk> chunks, List<Integer> cuts) {}

  @BeforeContainer
  static void start() throws IOException {
    prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    prometheus.createContext("/api/v1/read", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] b = body;
      exchange.getResponseHeaders().set("Content-Type", STREAMED_TYPE);
      exchange.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
      exchange.getResponseBody().write(b);
      exchange.close();
    });
    prometheus.createContext("/api/v1/labels", exchange -> {
      exchange.getRequestBody().readAllBytes();
      StringBuilder json = new StringBuilder("{\"status\":\"success\",\"data\":[");
      List<String> names = labelNames;
      for (int i = 0; i < names.size(); i++) {
        json.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append('"');
      }
      byte[] b = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, b.length);
      exchange.getResponseBody().write(b);
      exchange.close();
    });
    prometheus.start();
    PrometheusClient client = new PrometheusClient(
        URI.create("http://127.0.0.1:" + prometheus.getAddress().getPort()),
        Duration.ofSeconds(30));
    PrometheusStoreSource source = new PrometheusStoreSource(client, () -> external, () -> 0);
    transcoding = StoreServer.start(new InetSocketAddress("127.0.0.1", 0), source);
    generic = StoreServer.start(new InetSocketAddress("127.0.0.1", 0), new GenericOnly(source));
    toTranscoding = channel(transcoding);
    toGeneric = channel(generic);
  }

  @AfterContainer
  static void stop() {
    toTranscoding.shutdownNow();
    toGeneric.shutdownNow();
    transcoding.close();
    generic.close();
    prometheus.stop(0);
  }

  @Property(tries = 150)
  void transcodedFramesAreTheGenericPathsFrames(
      @ForAll("series") List<StoredSeries> series,
      @ForAll("externalLabels") Map<String, String> externalLabels,
      @ForAll("without") List<String> without,
      @ForAll("framing") List<Integer> perFrame,
      @ForAll boolean skipChunks, @ForAll boolean abort, @ForAll("tail") byte[] corruptTail) {
    external = Labels.fromMap(externalLabels);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (ChunkedReadResponse frame : frames(series, externalLabels, perFrame)) {
      FrameWriter.frame(stream, frame.toByteArray());
    }
    // One fault per try: with an encoding the StoreAPI cannot carry and a corrupt last frame
    // both, the generic path (reading a frame ahead) meets the corrupt frame first and the
    // transcoding path meets the faults in stream order, so each names a different, true fault.
    if (corruptTail.length > 0 && !hasUncarriableChunk(series)) {
      FrameWriter.frame(stream, corruptTail); // a checksum that holds over data that is no message
    }
    body = stream.toByteArray();
    TreeSet<String> names = new TreeSet<>();
    series.forEach(s -> names.addAll(s.labels().keySet()));
    labelNames = List.copyOf(names);
    SeriesRequest request = SeriesRequest.newBuilder()
        .setMinTime(0)
        .setMaxTime(Long.MAX_VALUE)
        .addMatchers(LabelMatcher.newBuilder()
            .setType(LabelMatcher.Type.RE).setName("__name__").setValue(".*"))
        .addAllWithoutReplicaLabels(without)
        .setSkipChunks(skipChunks)
        .setPartialResponseStrategy(
            abort ? PartialResponseStrategy.ABORT : PartialResponseStrategy.WARN)
        .build();

    Answer expected = call(toGeneric, request);
    Answer actual = call(toTranscoding, request);

    assertEquals(expected.status(), actual.status());
    if (!expected.status().equals("OK")) {
      // A failed call: what came before the failure is no answer (the generic path reads one
      // series ahead before it sends, so it may have sent one series fewer).
      return;
    }
    assertEquals(expected.frames().size(), actual.frames().size(), "frames");
    for (int i = 0; i < expected.frames().size(); i++) {
      assertArrayEquals(expected.frames().get(i), actual.frames().get(i), "frame " + i);
    }
  }

  /** Whether a chunk has an encoding the StoreAPI cannot carry as a raw chunk (0 or 7 here). */
  private static boolean hasUncarriableChunk(List<StoredSeries> series) {
    return series.stream().flatMap(s -> s.chunks().stream())
        .anyMatch(c -> c.getTypeValue() < 1 || c.getTypeValue() > 3);
  }

  /** Frames cut the way Prometheus might: series in parts, parts grouped into frames. */
  private static List<ChunkedReadResponse> frames(List<StoredSeries> series,
      Map<String, String> externalLabels, List<Integer> perFrame) {
    List<ChunkedSeries> parts = new ArrayList<>();
    for (StoredSeries s : stored(series)) {
      // Prometheus adds its external labels where the series has no label of that name.
      Map<String, String> sent = new TreeMap<>(externalLabels);
      sent.putAll(s.labels());
      List<Label> labels = new ArrayList<>();
      sent.forEach((n, v) -> labels.add(Label.newBuilder().setName(n).setValue(v).build()));
      int from = 0;
      for (int cut : s.cuts()) {
        int to = Math.min(s.chunks().size(), from + cut);
        parts.add(ChunkedSeries.newBuilder().addAllLabels(labels)
            .addAllChunks(s.chunks().subList(from, to)).build());
        from = to;
        if (from == s.chunks().size()) {
          break;
        }
      }
      if (from < s.chunks().size() || s.chunks().isEmpty()) {
        parts.add(ChunkedSeries.newBuilder().addAllLabels(labels)
            .addAllChunks(s.chunks().subList(from, s.chunks().size())).build());
      }
    }
    List<ChunkedReadResponse> frames = new ArrayList<>();
    int at = 0;
    for (int i = 0; at < parts.size(); i++) {
      int n = Math.max(1, perFrame.get(i % perFrame.size()));
      int to = Math.min(parts.size(), at + n);
      frames.add(ChunkedReadResponse.newBuilder().addAllChunkedSeries(parts.subList(at, to))
          .build());
      at = to;
    }
    return frames;
  }

  /** The series in Prometheus's order (sorted by stored labels), each label set once. */
  private static List<StoredSeries> stored(List<StoredSeries> series) {
    TreeMap<Labels, StoredSeries> sorted = new TreeMap<>();
    for (StoredSeries s : series) {
      sorted.putIfAbsent(Labels.fromMap(s.labels()), s);
    }
    return List.copyOf(sorted.values());
  }

  record Answer(List<byte[]> frames, String status) {}

  private static Answer call(ManagedChannel channel, SeriesRequest request) {
    List<byte[]> frames = new ArrayList<>();
    String status = "OK";
    try {
      Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(
          channel, RAW_SERIES, CallOptions.DEFAULT, request);
      it.forEachRemaining(frames::add);
    } catch (StatusRuntimeException e) {
      status = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
    }
    return new Answer(frames, status);
  }

  /** The Series method with its answers as the bytes that came over the wire. */
  private static final MethodDescriptor<SeriesRequest, byte[]> RAW_SERIES =
      StoreGrpc.getSeriesMethod().toBuilder(StoreGrpc.getSeriesMethod().getRequestMarshaller(),
          new MethodDescriptor.Marshaller<byte[]>() {
            @Override
            public InputStream stream(byte[] value) {
              return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
              try {
                return stream.readAllBytes();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          }).build();

  private static ManagedChannel channel(StoreApiServer server) {
    return NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext()
        .maxInboundMessageSize(Integer.MAX_VALUE).build();
  }

  @Provide
  Arbitrary<List<StoredSeries>> series() {
    Arbitrary<Map<String, String>> labels = Arbitraries.maps(
        Arbitraries.of("__name__", "a", "b", "job", "replica", "zone"),
        Arbitraries.of("up", "x", "eu", "bench")).ofMinSize(1).ofMaxSize(4);
    Arbitrary<Chunk> chunk = Combinators.combine(
        Arbitraries.longs().between(-5, 5_000_000_000L),
        Arbitraries.longs().between(0, 5_000_000_000L),
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(40, Arbitraries.just(1)),
            net.jqwik.api.Tuple.of(2, Arbitraries.of(2, 3)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 7))),
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(30, Arbitraries.integers().between(0, 300)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(200_000, 450_000))),
        Arbitraries.integers())
        .as((min, max, type, size, seed) -> {
          byte[] data = new byte[size];
          new java.util.Random(seed).nextBytes(data);
          return Chunk.newBuilder().setMinTimeMs(min).setMaxTimeMs(max).setTypeValue(type)
              .setData(ByteString.copyFrom(data)).build();
        });
    Arbitrary<StoredSeries> one = Combinators.combine(labels,
        chunk.list().ofMaxSize(6),
        Arbitraries.integers().between(0, 4).list().ofMaxSize(3))
        .as(StoredSeries::new);
    return one.list().ofMaxSize(12);
  }

  /** Nothing, mostly; else frame data that is not a ChunkedReadResponse (or barely is). */
  @Provide
  Arbitrary<byte[]> tail() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(new byte[0])),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(
            new byte[] {0x0a, 0x05, 0x0a}, // a series cut off
            new byte[] {0x0a, 0x04, 0x12, 0x02, 0x22, 0x7f}, // a chunk whose data runs past it
            new byte[] {0x0a, 0x04, 0x0a, 0x02, 0x0a, (byte) 0xff}, // a name that is no UTF-8
            new byte[] {0x0a, 0x02, 0x0c, 0x00}, // an end-group tag where none began
            new byte[] {0x08, 0x01, 0x0a, 0x00}))); // query_index, then an empty series
  }

  @Provide
  Arbitrary<Map<String, String>> externalLabels() {
    return Arbitraries.maps(Arbitraries.of("replica", "a", "cluster", "zz"),
        Arbitraries.of("bench", "x", "eu")).ofMaxSize(2);
  }

  @Provide
  Arbitrary<List<String>> without() {
    return Arbitraries.of("replica", "a", "b").list().ofMaxSize(2).uniqueElements();
  }

  @Provide
  Arbitrary<List<Integer>> framing() {
    return Arbitraries.integers().between(1, 5).list().ofMinSize(1).ofMaxSize(4);
  }

  /** The same source, its querier without the raw chunk capability: the generic path. */
  private record GenericOnly(PrometheusStoreSource source) implements StoreSource {
    @Override
    public ComponentType componentType() {
      return source.componentType();
    }

    @Override
    public Labels externalLabels() {
      return source.externalLabels();
    }

    @Override
    public long minTime() {
      return source.minTime();
    }

    @Override
    public long maxTime() {
      return source.maxTime();
    }

    @Override
    public Querier querier(long mint, long maxt) {
      Querier q = source.querier(mint, maxt);
      return new Querier() {
        @Override
        public long minTime() {
          return q.minTime();
        }

        @Override
        public long maxTime() {
          return q.maxTime();
        }

        @Override
        public SeriesSet select(dev.strata.tsdb.labels.LabelMatcher... matchers) {
          return q.select(matchers);
        }

        @Override
        public List<String> labelNames(dev.strata.tsdb.labels.LabelMatcher... matchers) {
          return q.labelNames(matchers);
        }

        @Override
        public List<String> labelValues(String name,
            dev.strata.tsdb.labels.LabelMatcher... matchers) {
          return q.labelValues(name, matchers);
        }

        @Override
        public List<String> warnings() {
          return q.warnings();
        }

        @Override
        public void close() {
          q.close();
        }
      };
    }
  }
}
