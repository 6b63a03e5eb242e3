package dev.strata.tsdb.head;

/**
 * When the head starts a new chunk, exactly as Prometheus 2.42 decides it, so that blocks cut from
 * Strata's head hold the same chunks Prometheus's would.
 *
 * <ul>
 *   <li>A new chunk's provisional end is the end of the chunk-range-aligned window holding its
 *       first sample.
 *   <li>When the chunk holds {@value #SAMPLES_PER_CHUNK}/4 samples, the end is re-predicted so that
 *       the rest of the window splits into chunks of about {@value #SAMPLES_PER_CHUNK} samples at
 *       the rate seen so far.
 *   <li>A sample at or past the end, or a chunk already holding twice the target, starts a new
 *       chunk.
 * </ul>
 */
final class ChunkCutting {
  static final int SAMPLES_PER_CHUNK = 120;

  private ChunkCutting() {}

  /** End of the window of width {@code chunkRange} holding {@code t} (Go integer division). */
  static long rangeEnd(long t, long chunkRange) {
    return (t / chunkRange) * chunkRange + chunkRange;
  }

  /**
   * The predicted end of a chunk that started at {@code start}, has reached {@code cur} after a
   * quarter of its samples, and must end by {@code max}.
   */
  static long predictedEnd(long start, long cur, long max) {
    long n = (max - start) / ((cur - start + 1) * 4);
    if (n <= 1) {
      return max;
    }
    return start + (max - start) / n;
  }
}
