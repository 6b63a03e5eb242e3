package dev.strata.tier.prometheus;

import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.storage.SampleIterator;
import java.util.Arrays;
import java.util.List;

/**
 * The samples of a series' chunks within {@code [mint, maxt]}, in time order without duplicates.
 * Chunks that follow one another are decoded one at a time; chunks that overlap in time (from
 * overlapping blocks, or a block and the head) are merged once, on first use, the earlier chunk's
 * sample winning on an equal timestamp.
 */
final class ChunkSamples implements SampleIterator {
  private final List<Chunk> chunks;
  private final long mint;
  private final long maxt;

  private SampleIterator current;
  private int nextChunk;
  private boolean started;
  private boolean onSample;
  private long lastT = Long.MIN_VALUE;
  private long t;
  private double v;

  ChunkSamples(List<Chunk> chunks, long mint, long maxt) {
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
  }

  /**
   * The samples of one XOR chunk.
   *
   * @throws IllegalStateException for a histogram chunk, which Strata does not read
   */
  static SampleIterator decode(Chunk chunk) {
    if (chunk.getTypeValue() != ChunkEncoding.XOR) {
      throw new IllegalStateException(
          "cannot read " + ChunkEncoding.name((byte) chunk.getTypeValue())
              + " chunks: Strata reads float samples only");
    }
    byte[] data = chunk.getData().toByteArray();
    return SampleIterator.of(new XorChunkIterator().reset(data, 0, data.length));
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
          return end();
        }
        current = decode(chunks.get(nextChunk++));
        continue;
      }
      long ct = current.t();
      if (ct < mint || ct <= lastT) {
        continue;
      }
      if (ct > maxt) {
        return end();
      }
      t = ct;
      v = current.v();
      lastT = ct;
      onSample = true;
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

  private boolean end() {
    current = SampleIterator.EMPTY;
    nextChunk = chunks.size();
    onSample = false;
    return false;
  }

  private boolean overlapping() {
    for (int i = 1; i < chunks.size(); i++) {
      if (chunks.get(i).getMinTimeMs() <= chunks.get(i - 1).getMaxTimeMs()) {
        return true;
      }
    }
    return false;
  }

  /** All samples of all chunks, by time; of equal timestamps the earlier chunk's comes first. */
  private SampleIterator merged() {
    int n = 0;
    long[] times = new long[256];
    long[] values = new long[256];
    for (Chunk chunk : chunks) {
      SampleIterator it = decode(chunk);
      while (it.next()) {
        if (n == times.length) {
          times = Arrays.copyOf(times, n * 2);
          values = Arrays.copyOf(values, n * 2);
        }
        times[n] = it.t();
        values[n] = Double.doubleToRawLongBits(it.v());
        n++;
      }
    }
    // Sorting the positions by time keeps equal times in chunk order (the sort is stable).
    long[] sortedTimes = times;
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Long.compare(sortedTimes[a], sortedTimes[b]));
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = times[order[i]];
      vs[i] = Double.longBitsToDouble(values[order[i]]);
    }
    return new SampleIterator() {
      private int i = -1;

      @Override
      public boolean next() {
        return ++i < ts.length;
      }

      @Override
      public boolean seek(long target) {
        while (i < ts.length && (i < 0 || ts[i] < target)) {
          i++;
        }
        return i < ts.length;
      }

      @Override
      public long t() {
        return ts[i];
      }

      @Override
      public double v() {
        return vs[i];
      }
    };
  }
}
