package dev.strata.tier.prometheus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tier.prometheus.proto.ChunkedReadResponse;
import dev.strata.tier.prometheus.proto.ChunkedSeries;
import dev.strata.tier.prometheus.proto.Label;
import dev.strata.tier.prometheus.proto.QueryResult;
import dev.strata.tier.prometheus.proto.ReadResponse;
import dev.strata.tier.prometheus.proto.Sample;
import dev.strata.tier.prometheus.proto.TimeSeries;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * A remote read answer as the series of a querier: streamed parts of one series joined, sampled
 * series sorted, the external labels Prometheus merges in taken off, chunk bytes passed on as
 * Prometheus sent them.
 */
class RemoteReadSeriesSetTest {
  private static final String A = "a";
  private static final Labels EXTERNAL = Labels.of("cluster", "eu", "replica", A);

  @Test
  void partsOfAStreamedSeriesAreJoinedAndExternalLabelsTakenOff() throws Exception {
    List<Sample> a = samples(0, 300, 1000);
    List<Chunk> aChunks = SampleChunks.xor(a, 120); // 3 chunks
    // As Prometheus streams: external labels merged in, series "a" split over two frames, and a
    // series with its own "replica" label, which it keeps.
    byte[] stream =
        FrameWriter.frames(
            List.of(
                frame(series(aChunks.subList(0, 2), "__name__", A, "cluster", "eu", "replica", A)),
                frame(series(aChunks.subList(2, 3), "__name__", A, "cluster", "eu", "replica", A)),
                frame(
                    series(
                        SampleChunks.xor(samples(0, 10, 1000), 120),
                        "__name__", "b", "cluster", "eu", "replica", "own"))));
    RemoteReadResponse response =
        RemoteReadResponse.streamed(new ByteArrayInputStream(stream), "http://test/read", 1 << 20);
    RemoteReadSeriesSet set = new RemoteReadSeriesSet(response, EXTERNAL, 50_000, 149_999);

    assertTrue(set.next());
    Series first = set.at();
    assertEquals(Labels.of("__name__", "a"), first.labels());
    ChunkIterator chunks = first.chunks();
    for (Chunk expected : aChunks) {
      assertTrue(chunks.next());
      assertEquals(ChunkEncoding.XOR, chunks.encoding());
      assertEquals(expected.getMinTimeMs(), chunks.minTime());
      assertEquals(expected.getMaxTimeMs(), chunks.maxTime());
      assertArrayEquals(expected.getData().toByteArray(), chunks.bytes());
    }
    assertFalse(chunks.next());
    assertEquals(List.of(50_000L, 149_000L), firstAndLast(first.samples()));

    assertTrue(set.next());
    assertEquals(Labels.of("__name__", "b", "replica", "own"), set.at().labels());
    assertFalse(set.next());
    assertFalse(set.next());
  }

  @Test
  void sampledSeriesAreSortedAndEmptyOnesLeftOut() throws Exception {
    ReadResponse answer =
        ReadResponse.newBuilder()
            .addResults(
                QueryResult.newBuilder()
                    .addTimeseries(timeSeries(samples(0, 5, 10), "__name__", "z", "cluster", "eu"))
                    .addTimeseries(timeSeries(List.of(), "__name__", "empty", "cluster", "eu"))
                    .addTimeseries(
                        timeSeries(samples(0, 250, 10), "__name__", "m", "cluster", "eu")))
            .build();
    RemoteReadResponse response =
        RemoteReadResponse.sampled(
            Snappy.compress(answer.toByteArray()), "http://test/api/v1/read", "POST /api/v1/read");
    assertFalse(response.streamed());
    RemoteReadSeriesSet set = new RemoteReadSeriesSet(response, EXTERNAL, 0, Long.MAX_VALUE);

    assertTrue(set.next());
    assertEquals(Labels.of("__name__", "m"), set.at().labels());
    List<Integer> counts = new ArrayList<>();
    ChunkIterator it = set.at().chunks();
    while (it.next()) {
      byte[] data = it.bytes();
      counts.add((data[0] & 0xff) << 8 | (data[1] & 0xff));
    }
    assertEquals(List.of(120, 120, 10), counts);
    assertTrue(set.next());
    assertEquals(Labels.of("__name__", "z"), set.at().labels());
    assertFalse(set.next());
  }

  @Test
  void overlappingChunksGiveEachTimestampOnceTheEarlierChunkWinning() {
    List<Chunk> chunks = new ArrayList<>(SampleChunks.xor(samples(0, 10, 100), 4));
    List<Sample> other = new ArrayList<>();
    for (Sample s : samples(0, 10, 100)) {
      other.add(s.toBuilder().setValue(-1).build());
    }
    chunks.addAll(SampleChunks.xor(other, 120)); // overlaps all of the above
    SampleIterator it = new PrometheusSeries(Labels.EMPTY, chunks, 150, 650).samples();
    List<Long> times = new ArrayList<>();
    while (it.next()) {
      times.add(it.t());
      assertTrue(it.v() >= 0, "the first chunk's value wins");
    }
    assertEquals(List.of(200L, 300L, 400L, 500L, 600L), times);
  }

  private static List<Long> firstAndLast(SampleIterator it) {
    long first = Long.MIN_VALUE;
    long last = Long.MIN_VALUE;
    while (it.next()) {
      if (first == Long.MIN_VALUE) {
        first = it.t();
      }
      last = it.t();
    }
    return List.of(first, last);
  }

  private static List<Sample> samples(long start, int n, long step) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Sample.newBuilder().setTimestamp(start + i * step).setValue(i * 0.5).build());
    }
    return out;
  }

  private static ChunkedSeries series(List<Chunk> chunks, String... labels) {
    return ChunkedSeries.newBuilder().addAllLabels(labels(labels)).addAllChunks(chunks).build();
  }

  private static TimeSeries timeSeries(List<Sample> samples, String... labels) {
    return TimeSeries.newBuilder().addAllLabels(labels(labels)).addAllSamples(samples).build();
  }

  private static List<Label> labels(String... pairs) {
    List<Label> out = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.add(Label.newBuilder().setName(pairs[i]).setValue(pairs[i + 1]).build());
    }
    return out;
  }

  private static ChunkedReadResponse frame(ChunkedSeries series) {
    return ChunkedReadResponse.newBuilder().addChunkedSeries(series).build();
  }
}
