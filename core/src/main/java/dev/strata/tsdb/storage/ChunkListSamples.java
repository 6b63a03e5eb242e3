package dev.strata.tsdb.storage;

import java.util.Arrays;

/**
 * The samples of one series held as a list of chunks (received from a remote store, say) within
 * {@code [mint, maxt]}, in time order without duplicates. Chunks that follow one another are
 * decoded one at a time, as they are reached; chunks overlapping in time (from overlapping blocks,
 * or a block and a head) are merged once, on first use, the earlier chunk's sample winning on an
 * equal timestamp.
 */
public final class ChunkListSamples implements SampleIterator {

  /** The chunks, in the order they were read; each decoded when its samples are reached. */
  public interface Chunks {
    int size();

    /** The first timestamp of chunk {@code i}. */
    long minTime(int i);

    /** The last timestamp of chunk {@code i}. */
    long maxTime(int i);

    /** The samples of chunk {@code i}. */
    SampleIterator decode(int i);
  }

  private final Chunks chunks;
  private final long mint;
  private final long maxt;

  private SampleIterator current;
  private int nextChunk;
  private long lastT = Long.MIN_VALUE;
  private boolean started;
  private boolean onSample;
  private long t;
  private double v;

  public ChunkListSamples(Chunks chunks, long mint, long maxt) {
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public boolean next() {
    if (!started) {
      started = true;
      if (overlapping()) {
        current = merged();
        nextChunk = chunks.size();
      }
    }
    while (true) {
      if (current == null || !current.next()) {
        if (nextChunk >= chunks.size()) {
          current = SampleIterator.EMPTY;
          onSample = false;
          return false;
        }
        current = chunks.decode(nextChunk++);
        continue;
      }
      long ct = current.t();
      if (ct < mint || ct <= lastT) {
        continue;
      }
      if (ct > maxt) {
        current = SampleIterator.EMPTY;
        nextChunk = chunks.size();
        onSample = false;
        return false;
      }
      onSample = true;
      t = ct;
      v = current.v();
      lastT = ct;
      return true;
    }
  }

  @Override
  public boolean seek(long target) {
    if (onSample && t >= target) {
      return true;
    }
    while (next()) {
      if (t >= target) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long t() {
    return t;
  }

  @Override
  public double v() {
    return v;
  }

  private boolean overlapping() {
    for (int i = 1; i < chunks.size(); i++) {
      if (chunks.minTime(i) <= chunks.maxTime(i - 1)) {
        return true;
      }
    }
    return false;
  }

  /** All samples of all chunks, sorted by time; of equal timestamps the first chunk's wins. */
  private SampleIterator merged() {
    int n = 0;
    long[] ts = new long[64];
    double[] vs = new double[64];
    for (int c = 0; c < chunks.size(); c++) {
      SampleIterator it = chunks.decode(c);
      while (it.next()) {
        if (n == ts.length) {
          ts = Arrays.copyOf(ts, n * 2);
          vs = Arrays.copyOf(vs, n * 2);
        }
        ts[n] = it.t();
        vs[n] = it.v();
        n++;
      }
    }
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    long[] times = ts;
    Arrays.sort(idx, (a, b) -> Long.compare(times[a], times[b])); // stable: first chunk first
    long[] sortedT = new long[n];
    double[] sortedV = new double[n];
    for (int i = 0; i < n; i++) {
      sortedT[i] = ts[idx[i]];
      sortedV[i] = vs[idx[i]];
    }
    return new ArraySamples(sortedT, sortedV, n);
  }
}
