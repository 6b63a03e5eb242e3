package dev.strata.tsdb.storage;


/**
 * Samples held in arrays, timestamps in order (equal ones allowed: a reader may skip them). Seeks
 * are mostly a short way ahead (the penalty deduplication seeks its replicas once per output
 * sample), so {@link #seek} first looks at the next few samples and only then searches the rest
 * by halving.
 */
public final class ArraySamples implements SampleIterator {
  private static final int LINEAR_STEPS = 8;

  private final long[] ts;
  private final double[] vs;
  private final int n;
  private int i = -1;

  /** The first {@code n} samples of the arrays, which are read, not copied. */
  public ArraySamples(long[] ts, double[] vs, int n) {
    this.ts = ts;
    this.vs = vs;
    this.n = n;
  }

  @Override
  public boolean next() {
    if (i < n) {
      i++;
    }
    return i < n;
  }

  @Override
  public boolean seek(long target) {
    int from = Math.max(i, 0);
    int stop = Math.min(n, from + LINEAR_STEPS);
    while (from < stop && ts[from] < target) {
      from++;
    }
    if (from == stop && from < n) {
      // Lower bound of target in [from, n).
      int lo = from;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (ts[mid] < target) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      from = lo;
    }
    i = from;
    return i < n;
  }

  @Override
  public long t() {
    return ts[i];
  }

  @Override
  public double v() {
    return vs[i];
  }
}
