package dev.strata.tsdb.dedup;

import java.util.Arrays;

/**
 * Splits the chunks of one series, sorted by first timestamp, into runs of chunks that do not
 * overlap, as Thanos's {@code dedup.NewOverlapSplit} does. A series received from several replicas
 * whose replica labels were dropped holds the chunks of every replica side by side; each run then
 * stands for one replica (a "pseudo-replica": the split does not know which chunk came from which
 * replica, only that overlapping chunks cannot come from the same one) and the runs are
 * deduplicated like replicas.
 *
 * <p>Each chunk goes to the first run whose last chunk ends strictly before the chunk starts, and
 * opens a new run when there is none. Reused from series to series.
 */
final class OverlapSplit {
  private int[] runOf = new int[16];
  private long[] runEnds = new long[4];
  private int runs;

  /**
   * Assigns the first {@code n} chunks, given by their first and last timestamps in the order of
   * the series, to runs; returns the number of runs (0 when there are no chunks).
   */
  int split(long[] minTimes, long[] maxTimes, int n) {
    if (runOf.length < n) {
      runOf = new int[Math.max(n, runOf.length * 2)];
    }
    runs = 0;
    for (int c = 0; c < n; c++) {
      int r = 0;
      while (r < runs && runEnds[r] >= minTimes[c]) {
        r++;
      }
      if (r == runs) {
        if (runs == runEnds.length) {
          runEnds = Arrays.copyOf(runEnds, runs * 2);
        }
        runs++;
      }
      runEnds[r] = maxTimes[c];
      runOf[c] = r;
    }
    return runs;
  }

  /** The run of chunk {@code c} after the last {@link #split}. */
  int runOf(int c) {
    return runOf[c];
  }
}
