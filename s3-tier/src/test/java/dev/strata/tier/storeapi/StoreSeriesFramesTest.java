package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A series whose chunks exceed a frame's byte budget is sent in several frames with the same
 * labels, and the client joins them back into one series.
 */
class StoreSeriesFramesTest {
  private static final int CHUNK_BYTES = 600 * 1024;
  private static final int CHUNKS = 5;

  @Test
  void aLargeSeriesSpansFramesAndIsJoinedBack() {
    Labels labels = Labels.of("__name__", "big");
    List<SeriesResponse> frames = new ArrayList<>();
    new SeriesStreamer(new OneSeriesSource(labels))
        .stream(
            SeriesRequest.newBuilder()
                .setMaxTime(CHUNKS * 1000)
                .addMatchers(ProtoMatchers.toProto(LabelMatcher.equal("__name__", "big")))
                .build(),
            f -> frames.add(f.toResponse()));

    // 1 MiB per frame: two 600 KiB chunks, two more, then the last one.
    assertEquals(3, frames.size());
    for (SeriesResponse f : frames) {
      assertEquals(ProtoLabels.toProto(labels), f.getSeries().getLabelsList());
    }

    SeriesSet set =
        new RemoteSeriesSet(frames.iterator(), w -> { }, 0, CHUNKS * 1000,
            dev.strata.downsample.Aggregation.AVERAGE, "test");
    assertTrue(set.next());
    assertEquals(labels, set.at().labels());
    ChunkIterator chunks = set.at().chunks();
    for (int i = 0; i < CHUNKS; i++) {
      assertTrue(chunks.next());
      assertEquals(i * 1000L, chunks.minTime());
      assertArrayEquals(bytes(i), chunks.bytes());
    }
    assertFalse(chunks.next());
    assertFalse(set.next());
  }

  private static byte[] bytes(int chunk) {
    byte[] b = new byte[CHUNK_BYTES];
    Arrays.fill(b, (byte) chunk);
    return b;
  }

  /** One series of large chunks; the handler never decodes them, so their content is arbitrary. */
  private record OneSeriesSource(Labels labels) implements StoreSource {
    @Override
    public ComponentType componentType() {
      return ComponentType.STORE;
    }

    @Override
    public Labels externalLabels() {
      return Labels.EMPTY;
    }

    @Override
    public long minTime() {
      return 0;
    }

    @Override
    public long maxTime() {
      return CHUNKS * 1000;
    }

    @Override
    public Querier querier(long mint, long maxt) {
      Labels l = labels;
      return new Querier() {
        @Override
        public long minTime() {
          return mint;
        }

        @Override
        public long maxTime() {
          return maxt;
        }

        @Override
        public SeriesSet select(LabelMatcher... matchers) {
          return new SeriesSet() {
            private boolean done;

            @Override
            public boolean next() {
              boolean hasNext = !done;
              done = true;
              return hasNext;
            }

            @Override
            public Series at() {
              return new Series() {
                @Override
                public Labels labels() {
                  return l;
                }

                @Override
                public SampleIterator samples() {
                  return SampleIterator.EMPTY;
                }

                @Override
                public ChunkIterator chunks() {
                  return new BigChunks();
                }
              };
            }
          };
        }

        @Override
        public List<String> labelNames(LabelMatcher... matchers) {
          return List.of("__name__");
        }

        @Override
        public List<String> labelValues(String name, LabelMatcher... matchers) {
          return List.of();
        }

        @Override
        public void close() {}
      };
    }
  }

  private static final class BigChunks implements ChunkIterator {
    private int i = -1;

    @Override
    public boolean next() {
      return ++i < CHUNKS;
    }

    @Override
    public long minTime() {
      return i * 1000L;
    }

    @Override
    public long maxTime() {
      return i * 1000L + 999;
    }

    @Override
    public byte encoding() {
      return ChunkEncoding.XOR;
    }

    @Override
    public byte[] bytes() {
      return StoreSeriesFramesTest.bytes(i);
    }

    @Override
    public SampleIterator samples() {
      return SampleIterator.EMPTY;
    }
  }
}
