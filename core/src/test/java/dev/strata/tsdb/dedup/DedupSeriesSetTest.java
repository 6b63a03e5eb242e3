package dev.strata.tsdb.dedup;

import static dev.strata.tsdb.dedup.ChunkedSeries.cut;
import static dev.strata.tsdb.dedup.Sample.at;
import static dev.strata.tsdb.dedup.Sample.drain;
import static dev.strata.tsdb.dedup.Sample.every;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DedupSeriesSetTest {
  private static final long MIN = Long.MIN_VALUE;
  private static final long MAX = Long.MAX_VALUE;
  private static final Labels L0 = Labels.of("__name__", "up", "job", "a");
  private static final Labels L1 = Labels.of("__name__", "up", "job", "b");
  private static final Labels L2 = Labels.of("__name__", "up", "job", "c");

  // Replica A scrapes every 10s and misses 40s..70s; replica B scrapes 2s later and misses 100s..
  private static final List<Sample> A =
      concat(every(100, 0, 30_000, 10_000), every(100, 80_000, 150_000, 10_000));
  private static final List<Sample> B = every(200, 2_000, 92_000, 10_000);

  private static List<Sample> concat(List<Sample> x, List<Sample> y) {
    List<Sample> out = new ArrayList<>(x);
    out.addAll(y);
    return out;
  }

  private static ChunkedSeries series(Labels l, List<Sample> samples) {
    return new ChunkedSeries(l, MIN, MAX, cut(samples, 4));
  }

  /** Labels and samples of every series of the set. */
  private static List<Object> read(SeriesSet set) {
    List<Object> out = new ArrayList<>();
    while (set.next()) {
      out.add(set.at().labels());
      out.add(drain(set.at().samples()));
    }
    return out;
  }

  @Test
  void adjacentSeriesWithEqualLabelsAreReplicas() {
    List<Sample> other = every(300, 0, 50_000, 15_000);
    SeriesSet in =
        ChunkedSeries.set(series(L0, other), series(L1, A), series(L1, B), series(L2, other));
    List<Sample> dedup = PenaltyModel.dedup(List.of(A, B));
    assertEquals(
        List.of(L0, other, L1, dedup, L2, other), read(new DedupSeriesSet(in, MIN, MAX, false)));
    assertTrue(dedup.stream().anyMatch(s -> s.t() % 10_000 == 2_000), "B fills A's gap");
  }

  // Both replicas merged into one series by a store: their chunks of 4 samples side by side,
  // sorted by first timestamp: A[0s,30s] B[2s,32s] B[42s,72s] A[80s,110s] B[82s,92s] A[120s,150s].
  private static ChunkedSeries merged(long mint, long maxt) {
    List<List<Sample>> chunks = new ArrayList<>(cut(A, 4));
    chunks.addAll(cut(B, 4));
    chunks.sort((x, y) -> Long.compare(x.get(0).t(), y.get(0).t()));
    return new ChunkedSeries(L1, mint, maxt, chunks);
  }

  // The runs of those chunks: B[42s,72s] starts after A[0s,30s] ends, so it joins A's run (the
  // split finds pseudo-replicas, not the replicas themselves); B's other chunks make run 1.
  private static final List<Sample> RUN0 =
      concat(
          concat(every(100, 0, 30_000, 10_000), every(200, 42_000, 72_000, 10_000)),
          every(100, 80_000, 150_000, 10_000));
  private static final List<Sample> RUN1 =
      concat(every(200, 2_000, 32_000, 10_000), every(200, 82_000, 92_000, 10_000));

  @Test
  void overlappingChunksOfOneSeriesAreSplitIntoReplicas() {
    assertEquals(A.size() + B.size(), drain(merged(MIN, MAX).samples()).size());
    assertEquals(
        List.of(L1, PenaltyModel.dedup(List.of(RUN0, RUN1))),
        read(new DedupSeriesSet(ChunkedSeries.set(merged(MIN, MAX)), MIN, MAX, false)));
  }

  @Test
  void replicasReadChunkByChunkAreCutToTheRange() {
    long mint = 25_000;
    long maxt = 120_000;
    List<Sample> dedup =
        PenaltyModel.dedup(List.of(within(RUN0, mint, maxt), within(RUN1, mint, maxt)));
    assertEquals(
        List.of(L1, dedup),
        read(new DedupSeriesSet(ChunkedSeries.set(merged(MIN, MAX)), mint, maxt, false)));
  }

  private static List<Sample> within(List<Sample> s, long mint, long maxt) {
    return s.stream().filter(x -> x.t() >= mint && x.t() <= maxt).toList();
  }

  @Test
  void aSeriesWithoutReplicasComesOutAsItsSourceReadsIt() {
    // Its own samples are read: cut to the source's range (here narrower than the set's).
    ChunkedSeries one = new ChunkedSeries(L1, 10_000, 60_000, cut(A, 3));
    assertEquals(
        List.of(L1, within(A, 10_000, 60_000)),
        read(new DedupSeriesSet(ChunkedSeries.set(one), MIN, MAX, true)));
  }

  @Test
  void noSeriesNoOutput() {
    DedupSeriesSet set = new DedupSeriesSet(ChunkedSeries.set(), MIN, MAX, false);
    assertFalse(set.next());
    assertFalse(set.next());
  }

  @Test
  void seriesKnownOnlyBySamplesAreOneReplicaEach() {
    SeriesSet in = ChunkedSeries.set(samplesOnly(L1, A), samplesOnly(L1, B));
    assertEquals(
        List.of(L1, PenaltyModel.dedup(List.of(A, B))),
        read(new DedupSeriesSet(in, MIN, MAX, false)));
  }

  private static Series samplesOnly(Labels labels, List<Sample> samples) {
    return new Series() {
      @Override
      public Labels labels() {
        return labels;
      }

      @Override
      public SampleIterator samples() {
        return Sample.iterator(samples);
      }

      @Override
      public ChunkIterator chunks() {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void chunksAreTheDeduplicatedSamplesReEncoded() {
    List<Sample> a = every(100, 0, 2_990_000, 10_000); // 300 samples
    List<Sample> b = every(200, 1_000, 2_991_000, 10_000);
    DedupSeriesSet set =
        new DedupSeriesSet(ChunkedSeries.set(series(L1, a), series(L1, b)), MIN, MAX, false);
    assertTrue(set.next());
    List<Sample> samples = drain(set.at().samples());
    assertEquals(a, samples);

    ChunkIterator chunks = set.at().chunks();
    List<Sample> decoded = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    while (chunks.next()) {
      assertEquals(ChunkEncoding.XOR, chunks.encoding());
      List<Sample> chunk = drain(chunks.samples());
      assertEquals(drain(ChunkedSeries.decode(chunks.bytes())), chunk);
      assertEquals(chunk.get(0).t(), chunks.minTime());
      assertEquals(chunk.get(chunk.size() - 1).t(), chunks.maxTime());
      sizes.add(chunk.size());
      decoded.addAll(chunk);
    }
    assertEquals(List.of(120, 120, 60), sizes);
    assertEquals(samples, decoded);
    assertFalse(set.next());
  }

  @Test
  void counterAdjustmentIsForCounterFunctionsOnly() {
    for (String f : List.of("rate", "irate", "increase", "resets")) {
      assertTrue(DedupSeriesSet.adjustsCounters(f), f);
    }
    for (String f : new String[] {null, "", "delta", "sum_over_time", "max_over_time", "group"}) {
      assertFalse(DedupSeriesSet.adjustsCounters(f), f);
    }
  }

  @Test
  void countersAreAdjustedWhenAskedFor() {
    // A counts from 1000 and stops at 20s; B, restarted, counts from 10.
    List<Sample> a = at(1000, 0, 10_000, 20_000);
    List<Sample> b = at(10, 1_000, 11_000, 21_000, 31_000, 41_000, 51_000);
    List<Sample> adjusted = PenaltyModel.counterPair(a, b);
    for (int i = 1; i < adjusted.size(); i++) {
      assertTrue(adjusted.get(i).v() >= adjusted.get(i - 1).v(), adjusted.toString());
    }
    assertEquals(
        List.of(L1, adjusted),
        read(new DedupSeriesSet(ChunkedSeries.set(series(L1, a), series(L1, b)), MIN, MAX, true)));
    assertEquals(
        List.of(L1, PenaltyModel.dedup(List.of(a, b))),
        read(new DedupSeriesSet(ChunkedSeries.set(series(L1, a), series(L1, b)), MIN, MAX, false)));
  }
}
