package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.AggrChunkEncoder;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.LabelValuesRequest;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The server's handling of a source's parts and pieces, with sources made up here: labels read per
 * request, a failing piece under each partial-response strategy, and aggregates split out of
 * downsampled chunks.
 */
class StoreSourcePiecesTest {
  private static final Labels UP = Labels.of("__name__", "up", "instance", "a");
  private static final LabelMatcher ANY = LabelMatcher.regex("__name__", ".+");

  @Test
  void externalLabelsAreReadForEveryRequest() {
    AtomicReference<Labels> external = new AtomicReference<>(Labels.of("cluster", "eu"));
    Source source = new Source(external::get,
        List.of(new NamedQuerier("sidecar", () -> new ListQuerier(List.of(UP), 0, 10))));
    LabelLookup labels = new LabelLookup(source);
    LabelValuesRequest clusters = LabelValuesRequest.newBuilder().setLabel("cluster").setEnd(10)
        .build();
    assertEquals(List.of(Labels.of("__name__", "up", "cluster", "eu", "instance", "a")),
        served(source, request(ANY).build()));
    assertEquals(List.of("eu"), labels.labelValues(clusters).getValuesList());

    external.set(Labels.of("cluster", "us"));
    assertEquals(List.of(Labels.of("__name__", "up", "cluster", "us", "instance", "a")),
        served(source, request(ANY).build()));
    assertEquals(List.of(),
        served(source, request(LabelMatcher.equal("cluster", "eu"), ANY).build()));
    assertEquals(List.of("us"), labels.labelValues(clusters).getValuesList());
    assertEquals(ProtoLabels.toLabelSet(Labels.of("cluster", "us")),
        StoreInfos.info(source).getLabelSets(0));
  }

  @Test
  void aPieceFailingHalfWayFailsTheCallOrAddsAWarning() {
    Labels other = Labels.of("__name__", "up", "instance", "b");
    Source source = new Source(() -> Labels.of("cluster", "eu"), List.of(
        new NamedQuerier("block A", () -> new ListQuerier(List.of(UP), 0, 10)),
        new NamedQuerier("block B", () -> new FailingAfterFirst(other))));

    SeriesRequest abort = request(ANY)
        .setPartialResponseStrategy(PartialResponseStrategy.ABORT).build();
    PartFailedException e = assertThrows(PartFailedException.class, () -> served(source, abort));
    assertEquals("block B: segment 000003 vanished", e.getMessage());
    assertEquals(Status.Code.ABORTED, StatusMapping.toStatus(e).getStatus().getCode());
    SeriesRequest disabled = request(ANY).setPartialResponseDisabled(true).build();
    assertThrows(PartFailedException.class, () -> served(source, disabled));

    // WARN is the enum's zero: a request that says nothing asks for it. The answer is streamed:
    // what block B gave before it failed stays, and the warning says the answer is partial.
    List<SeriesResponse> frames = new ArrayList<>();
    new SeriesStreamer(source).stream(request(ANY).build(), f -> frames.add(f.toResponse()));
    assertEquals(3, frames.size());
    assertEquals(ProtoLabels.toProto(Labels.of("__name__", "up", "cluster", "eu", "instance", "a")),
        frames.get(0).getSeries().getLabelsList());
    assertEquals(ProtoLabels.toProto(Labels.of("__name__", "up", "cluster", "eu", "instance", "b")),
        frames.get(1).getSeries().getLabelsList());
    assertEquals("block B: segment 000003 vanished", frames.get(2).getWarning());
  }

  @Test
  void downsampledChunksAreSplitIntoTheRequestedAggregates() {
    byte[] count = xor(new long[] {300_000, 600_000}, new double[] {5, 5});
    byte[] min = xor(new long[] {300_000, 600_000}, new double[] {1, 2});
    ByteSink sink = new ByteSink();
    int length = new AggrChunkEncoder().begin(sink)
        .add(ChunkEncoding.XOR, count, 0, count.length).absent()
        .add(ChunkEncoding.XOR, min, 0, min.length).absent().absent().finish();
    byte[] aggr = Arrays.copyOf(sink.array(), length);
    Source source = new Source(Labels::of, List.of(new NamedQuerier("block 01TEST",
        () -> new OneChunkQuerier(UP, ChunkEncoding.AGGREGATE, aggr, 300_000, 600_000))));

    List<SeriesResponse> frames = new ArrayList<>();
    new SeriesStreamer(source).stream(request(ANY).addAggregates(Aggr.MIN)
        .addAggregates(Aggr.COUNT).addAggregates(Aggr.RAW).build(), f -> frames.add(f.toResponse()));
    AggrChunk chunk = frames.get(0).getSeries().getChunks(0);
    assertEquals(BucketChunks.xor(count), chunk.getCount());
    assertEquals(BucketChunks.xor(min), chunk.getMin());
    assertFalse(chunk.hasRaw() || chunk.hasSum() || chunk.hasMax() || chunk.hasCounter());
    assertEquals(300_000, chunk.getMinTime());

    SeriesRequest sum = request(ANY).addAggregates(Aggr.SUM)
        .setPartialResponseStrategy(PartialResponseStrategy.ABORT).build();
    PartFailedException e = assertThrows(PartFailedException.class, () -> served(source, sum));
    assertTrue(e.getMessage().startsWith("block 01TEST: "), e.getMessage());
    assertTrue(e.getMessage().contains("no sum aggregate"), e.getMessage());
    assertTrue(e.getMessage().contains(UP.toString()), e.getMessage());
  }

  // ---- sources made up for the tests ----

  private static List<Labels> served(StoreSource source, SeriesRequest request) {
    List<Labels> out = new ArrayList<>();
    new SeriesStreamer(source).stream(request,
        f -> out.add(ProtoLabels.fromProto(f.toResponse().getSeries().getLabelsList())));
    return out;
  }

  private static SeriesRequest.Builder request(LabelMatcher... matchers) {
    return SeriesRequest.newBuilder().setMaxTime(1_000_000)
        .addAllMatchers(ProtoMatchers.toProto(matchers));
  }

  private static byte[] xor(long[] times, double[] values) {
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
    for (int i = 0; i < times.length; i++) {
      app.append(times[i], values[i]);
    }
    return app.buffer().toByteArray(app.byteLength());
  }

  /** External labels from a supplier, series from fixed pieces. */
  private record Source(Supplier<Labels> labels, List<NamedQuerier> pieces)
      implements StoreSource {
    @Override
    public ComponentType componentType() {
      return ComponentType.STORE;
    }

    @Override
    public Labels externalLabels() {
      return labels.get();
    }

    @Override
    public long minTime() {
      return 0;
    }

    @Override
    public long maxTime() {
      return 1_000_000;
    }

    @Override
    public Querier querier(long mint, long maxt) {
      return pieces.get(0).opener().get();
    }

    @Override
    public List<NamedQuerier> queriers(StoreQuery query) {
      return pieces;
    }
  }

  /** Yields one series, then fails as a block whose segment went missing would. */
  private static final class FailingAfterFirst extends ListQuerierAdapter {
    FailingAfterFirst(Labels first) {
      super(first);
    }

    @Override
    public SeriesSet select(LabelMatcher... matchers) {
      SeriesSet one = new ListQuerier(List.of(labels), 0, 10).select(matchers);
      return new SeriesSet() {
        private boolean gave;

        @Override
        public boolean next() {
          if (gave) {
            throw new java.io.UncheckedIOException("segment 000003 vanished",
                new java.io.IOException("segment 000003 vanished"));
          }
          gave = true;
          return one.next();
        }

        @Override
        public Series at() {
          return one.at();
        }
      };
    }
  }

  /** One series with one chunk as stored. */
  private static final class OneChunkQuerier extends ListQuerierAdapter {
    private final byte encoding;
    private final byte[] data;
    private final long min;
    private final long max;

    OneChunkQuerier(Labels labels, byte encoding, byte[] data, long min, long max) {
      super(labels);
      this.encoding = encoding;
      this.data = data;
      this.min = min;
      this.max = max;
    }

    @Override
    public SeriesSet select(LabelMatcher... matchers) {
      Series series = new Series() {
        @Override
        public Labels labels() {
          return labels;
        }

        @Override
        public SampleIterator samples() {
          throw new UnsupportedOperationException("chunks only");
        }

        @Override
        public ChunkIterator chunks() {
          return new ChunkIterator() {
            private boolean read;

            @Override
            public boolean next() {
              boolean first = !read;
              read = true;
              return first;
            }

            @Override
            public long minTime() {
              return min;
            }

            @Override
            public long maxTime() {
              return max;
            }

            @Override
            public byte encoding() {
              return encoding;
            }

            @Override
            public byte[] bytes() {
              return data;
            }

            @Override
            public SampleIterator samples() {
              throw new UnsupportedOperationException("bytes only");
            }
          };
        }
      };
      return new SeriesSet() {
        private boolean gave;

        @Override
        public boolean next() {
          boolean first = !gave;
          gave = true;
          return first;
        }

        @Override
        public Series at() {
          return series;
        }
      };
    }
  }

  /** A querier of one series whose label calls answer from its labels. */
  private abstract static class ListQuerierAdapter implements Querier {
    final Labels labels;

    ListQuerierAdapter(Labels labels) {
      this.labels = labels;
    }

    @Override
    public long minTime() {
      return 0;
    }

    @Override
    public long maxTime() {
      return 1_000_000;
    }

    @Override
    public List<String> labelNames(LabelMatcher... matchers) {
      return new ListQuerier(List.of(labels), 0, 10).labelNames(matchers);
    }

    @Override
    public List<String> labelValues(String name, LabelMatcher... matchers) {
      return new ListQuerier(List.of(labels), 0, 10).labelValues(name, matchers);
    }

    @Override
    public void close() {}
  }
}
