package dev.strata.tsdb.dedup;

import dev.strata.tsdb.storage.ArraySamples;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import java.util.Arrays;

/**
 * The replicas of the label set being deduplicated, their samples copied into arrays that are
 * reused from label set to label set.
 *
 * <p>The samples are copied because a {@link dev.strata.tsdb.storage.SeriesSet}'s series is only
 * valid until the set moves on, and the set must move on to find out whether the next series is
 * another replica. The PromQL engine decodes every sample of a selected series into arrays anyway;
 * here that happens one label set earlier, and only one label set is held at a time.
 */
final class Replicas {
  private final OverlapSplit split = new OverlapSplit();
  private long[] chunkMin = new long[16];
  private long[] chunkMax = new long[16];

  private long[][] times = new long[2][];
  private double[][] values = new double[2][];
  private int[] sizes = new int[2];
  private int count;

  /** Forgets the replicas (their arrays are kept for the next label set). */
  void clear() {
    count = 0;
  }

  int count() {
    return count;
  }

  /** The samples of replica {@code r}, valid until {@link #clear}. */
  SampleIterator samples(int r) {
    return new ArraySamples(times[r], values[r], sizes[r]);
  }

  /**
   * Adds the replicas held by {@code series}, with their samples in {@code [mint, maxt]}: one per
   * run of its chunks that do not overlap ({@link OverlapSplit}), or the series itself when its
   * chunks do not overlap or it cannot give chunks.
   */
  void add(Series series, long mint, long maxt) {
    int runs = chunkRuns(series);
    if (runs <= 1) {
      // The series' own samples: the source has applied deletions and its range to them.
      copy(series.samples(), start(), mint, maxt);
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

  // The number of non-overlapping runs of the series' chunks; 1 for a series without chunks.
  private int chunkRuns(Series series) {
    int n = 0;
    try {
      ChunkIterator chunks = series.chunks();
      while (chunks.next()) {
        if (n == chunkMin.length) {
          chunkMin = Arrays.copyOf(chunkMin, n * 2);
          chunkMax = Arrays.copyOf(chunkMax, n * 2);
        }
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

  private int start() {
    if (count == sizes.length) {
      int n = count * 2;
      times = Arrays.copyOf(times, n);
      values = Arrays.copyOf(values, n);
      sizes = Arrays.copyOf(sizes, n);
    }
    if (times[count] == null) {
      times[count] = new long[64];
      values[count] = new double[64];
    }
    sizes[count] = 0;
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
