package dev.strata.tsdb.dedup;

import dev.strata.tsdb.storage.ArraySamples;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.ChunkList;
import dev.strata.tsdb.storage.ChunkListSamples;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import java.util.Arrays;

/**
 * The replicas of the label set being deduplicated, read from the series that hold them.
 *
 * <p>Over a set whose series are only valid until it moves on, the samples are copied into arrays
 * reused from label set to label set: the set must move on to find out whether the next series is
 * another replica. The PromQL engine decodes every sample of a selected series into arrays anyway;
 * here that happens one label set earlier, and only one label set is held at a time.
 *
 * <p>Over a set whose series stay readable ({@code retained}: a querier's answer held in memory),
 * nothing is copied: a replica is read from its series when deduplication reaches it, a series
 * as a whole, a run of chunks through a view of the series' chunk list. This spares a decoding
 * pass over every sample, the larger part of deduplicating a query's series.
 */
final class Replicas {
  private final boolean retained;
  private final OverlapSplit split = new OverlapSplit();
  private long[] chunkMin = new long[16];
  private long[] chunkMax = new long[16];

  // Copied replicas: their samples. sizes[r] counts replica r's samples, or its run's chunks.
  private long[][] times = new long[2][];
  private double[][] values = new double[2][];
  private int[] sizes = new int[2];
  // Retained replicas: a whole series, or a run of a chunk list.
  private Series[] whole = new Series[2];
  private ChunkListSamples.Chunks[] runSource = new ChunkListSamples.Chunks[2];
  private int[][] runChunks = new int[2][];
  private int count;
  private long mint;
  private long maxt;

  Replicas(boolean retained) {
    this.retained = retained;
  }

  /** Forgets the replicas (their arrays are kept for the next label set). */
  void clear() {
    for (int r = 0; r < count; r++) {
      whole[r] = null; // not kept alive past their label set
      runSource[r] = null;
    }
    count = 0;
  }

  int count() {
    return count;
  }

  /** The samples of replica {@code r} in the range last given to {@link #add}, valid until {@link #clear}. */
  SampleIterator samples(int r) {
    if (!retained) {
      return new ArraySamples(times[r], values[r], sizes[r]);
    }
    if (whole[r] != null) {
      return whole[r].samples();
    }
    return new ChunkListSamples(new Run(runSource[r], runChunks[r], sizes[r]), mint, maxt);
  }

  /**
   * Adds the replicas held by {@code series}, with their samples in {@code [mint, maxt]}: one per
   * run of its chunks that do not overlap ({@link OverlapSplit}), or the series itself when its
   * chunks do not overlap or it cannot give chunks.
   */
  void add(Series series, long mint, long maxt) {
    this.mint = mint;
    this.maxt = maxt;
    if (retained && series instanceof ChunkList list) {
      addRuns(series, list);
      return;
    }
    int runs = chunkRuns(series);
    if (runs <= 1) {
      // The series' own samples: the source has applied deletions and its range to them.
      if (retained) {
        int slot = start(); // before the store: start() may replace the array
        whole[slot] = series;
      } else {
        copy(series.samples(), start(), mint, maxt);
      }
      return;
    }
    int first = count;
    for (int r = 0; r < runs; r++) {
      start();
    }
    // Runs are read chunk by chunk, as a StoreAPI series is: a chunk holds one replica's samples.
    ChunkIterator chunks = series.chunks();
    for (int c = 0; chunks.next(); c++) {
      copy(chunks.samples(), first + split.runOf(c), mint, maxt);
    }
  }

  /** A retained series held as a chunk list: each run a view of its chunks, nothing decoded. */
  private void addRuns(Series series, ChunkList list) {
    int n = list.size();
    ensureChunkCapacity(n);
    for (int c = 0; c < n; c++) {
      chunkMin[c] = list.minTime(c);
      chunkMax[c] = list.maxTime(c);
    }
    int runs = split.split(chunkMin, chunkMax, n);
    if (runs <= 1) {
      int slot = start(); // before the store: start() may replace the array
      whole[slot] = series;
      return;
    }
    int first = count;
    for (int r = 0; r < runs; r++) {
      int slot = start();
      runSource[slot] = list;
      if (runChunks[slot] == null || runChunks[slot].length < n) {
        runChunks[slot] = new int[Math.max(n, 16)];
      }
    }
    for (int c = 0; c < n; c++) {
      int slot = first + split.runOf(c);
      runChunks[slot][sizes[slot]++] = c;
    }
  }

  /** Some of a chunk list's chunks, in list order: one run. */
  private record Run(ChunkListSamples.Chunks list, int[] chunks, int size)
      implements ChunkListSamples.Chunks {
    @Override
    public long minTime(int i) {
      return list.minTime(chunks[i]);
    }

    @Override
    public long maxTime(int i) {
      return list.maxTime(chunks[i]);
    }

    @Override
    public SampleIterator decode(int i) {
      return list.decode(chunks[i]);
    }
  }

  // The number of non-overlapping runs of the series' chunks; 1 for a series without chunks.
  private int chunkRuns(Series series) {
    int n = 0;
    try {
      ChunkIterator chunks = series.chunks();
      while (chunks.next()) {
        ensureChunkCapacity(n + 1);
        chunkMin[n] = chunks.minTime();
        chunkMax[n] = chunks.maxTime();
        n++;
      }
    } catch (UnsupportedOperationException e) {
      // A series known by its samples only (computed, or held in memory) is one replica.
      return 1;
    }
    return split.split(chunkMin, chunkMax, n);
  }

  private void ensureChunkCapacity(int n) {
    if (chunkMin.length < n) {
      chunkMin = Arrays.copyOf(chunkMin, Math.max(n, chunkMin.length * 2));
      chunkMax = Arrays.copyOf(chunkMax, chunkMin.length);
    }
  }

  private int start() {
    if (count == sizes.length) {
      int n = count * 2;
      times = Arrays.copyOf(times, n);
      values = Arrays.copyOf(values, n);
      sizes = Arrays.copyOf(sizes, n);
      whole = Arrays.copyOf(whole, n);
      runSource = Arrays.copyOf(runSource, n);
      runChunks = Arrays.copyOf(runChunks, n);
    }
    if (!retained && times[count] == null) {
      times[count] = new long[64];
      values[count] = new double[64];
    }
    sizes[count] = 0;
    whole[count] = null;
    runSource[count] = null;
    return count++;
  }

  // Appends the samples of `it` in [mint, maxt] to replica r. Timestamps that do not increase are
  // dropped: a run's chunks follow one another, so there are none unless a source repeats itself.
  private void copy(SampleIterator it, int r, long mint, long maxt) {
    long[] ts = times[r];
    double[] vs = values[r];
    int n = sizes[r];
    if (it.seek(mint)) {
      do {
        long t = it.t();
        if (t > maxt) {
          break;
        }
        if (n > 0 && t <= ts[n - 1]) {
          continue;
        }
        if (n == ts.length) {
          ts = Arrays.copyOf(ts, n * 2);
          vs = Arrays.copyOf(vs, n * 2);
        }
        ts[n] = t;
        vs[n] = it.v();
        n++;
      } while (it.next());
    }
    times[r] = ts;
    values[r] = vs;
    sizes[r] = n;
  }
}
