package dev.strata.tsdb.query;

import dev.strata.tsdb.storage.ChunkSeriesCursor;
import java.util.Arrays;

/**
 * The chunks of one series gathered from every source that has it, sorted by start time (then by
 * source, so the result is deterministic). Reused from series to series.
 */
public final class SeriesChunks {
  private ChunkSeriesCursor[] sources = new ChunkSeriesCursor[8];
  private int[] indexes = new int[8];
  private long[] minTimes = new long[8];
  private long[] maxTimes = new long[8];
  private int[] order = new int[8];
  private int size;

  /** Collects the chunks of the merger's current series. */
  public SeriesChunks collect(SeriesMerger merger) {
    size = 0;
    for (int j = 0; j < merger.count(); j++) {
      ChunkSeriesCursor c = merger.cursor(j);
      for (int i = 0; i < c.chunkCount(); i++) {
        add(c, i);
      }
    }
    sort();
    return this;
  }

  /**
   * The chunks of {@code all} that come from {@code source}, in the same order: one source's view
   * of the series, when sources are replicas to be deduplicated rather than merged.
   */
  public SeriesChunks only(SeriesChunks all, ChunkSeriesCursor source) {
    size = 0;
    for (int i = 0; i < all.size; i++) {
      if (all.source(i) == source) {
        add(source, all.index(i));
      }
    }
    sort();
    return this;
  }

  private void add(ChunkSeriesCursor c, int i) {
    if (size == sources.length) {
      int n = size * 2;
      sources = Arrays.copyOf(sources, n);
      indexes = Arrays.copyOf(indexes, n);
      minTimes = Arrays.copyOf(minTimes, n);
      maxTimes = Arrays.copyOf(maxTimes, n);
      order = Arrays.copyOf(order, n);
    }
    sources[size] = c;
    indexes[size] = i;
    minTimes[size] = c.chunkMinTime(i);
    maxTimes[size] = c.chunkMaxTime(i);
    size++;
  }

  // Insertion sort of a permutation: chunks usually arrive already in order.
  private void sort() {
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    for (int i = 1; i < size; i++) {
      int x = order[i];
      int j = i - 1;
      while (j >= 0 && minTimes[order[j]] > minTimes[x]) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
  }

  public int size() {
    return size;
  }

  public ChunkSeriesCursor source(int i) {
    return sources[order[i]];
  }

  /** Index of chunk {@code i} within its source. */
  public int index(int i) {
    return indexes[order[i]];
  }

  public long minTime(int i) {
    return minTimes[order[i]];
  }

  public long maxTime(int i) {
    return maxTimes[order[i]];
  }

  /** Whether any two chunks overlap in time (their samples must then be merged). */
  public boolean overlapping() {
    for (int i = 1; i < size; i++) {
      if (minTime(i) <= maxTime(i - 1)) {
        return true;
      }
    }
    return false;
  }
}
