package dev.strata.tsdb.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * The chunk metadata of one series as the index stores it: per chunk the time of its first and
 * last sample (inclusive, milliseconds) and its reference into the block's chunk segments (see
 * {@link dev.strata.tsdb.chunks.ChunkRef}). A reusable holder of primitive arrays: the writer reads
 * it, the reader fills it, and neither allocates per chunk once the arrays have grown.
 *
 * <p>Any values round-trip, as in Prometheus: times and refs are stored as deltas whose arithmetic
 * wraps, so even chunks that overlap or run backwards come back exactly. Not thread-safe.
 */
public final class ChunkMetas {
  private long[] minTimes;
  private long[] maxTimes;
  private long[] refs;
  private int size;

  public ChunkMetas() {
    this(8);
  }

  public ChunkMetas(int capacity) {
    int n = Math.max(capacity, 1);
    minTimes = new long[n];
    maxTimes = new long[n];
    refs = new long[n];
  }

  /** Appends a chunk. */
  public ChunkMetas add(long minTime, long maxTime, long ref) {
    if (size == refs.length) {
      grow(size + 1);
    }
    minTimes[size] = minTime;
    maxTimes[size] = maxTime;
    refs[size] = ref;
    size++;
    return this;
  }

  /** Forgets the chunks, keeping the arrays. */
  public ChunkMetas clear() {
    size = 0;
    return this;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public long minTime(int i) {
    return minTimes[Objects.checkIndex(i, size)];
  }

  public long maxTime(int i) {
    return maxTimes[Objects.checkIndex(i, size)];
  }

  public long ref(int i) {
    return refs[Objects.checkIndex(i, size)];
  }

  // Unchecked access for the codecs, which loop below size().
  long[] minTimes() {
    return minTimes;
  }

  long[] maxTimes() {
    return maxTimes;
  }

  long[] refs() {
    return refs;
  }

  /** Makes room for {@code n} chunks and sets the size to {@code n}; for decoding in place. */
  void resize(int n) {
    if (n > refs.length) {
      grow(n);
    }
    size = n;
  }

  private void grow(int needed) {
    int n = Math.max(needed, refs.length * 2);
    minTimes = Arrays.copyOf(minTimes, n);
    maxTimes = Arrays.copyOf(maxTimes, n);
    refs = Arrays.copyOf(refs, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkMetas m
        && size == m.size
        && Arrays.equals(minTimes, 0, size, m.minTimes, 0, size)
        && Arrays.equals(maxTimes, 0, size, m.maxTimes, 0, size)
        && Arrays.equals(refs, 0, size, m.refs, 0, size);
  }

  @Override
  public int hashCode() {
    int h = size;
    for (int i = 0; i < size; i++) {
      h = 31 * h + Long.hashCode(minTimes[i]);
      h = 31 * h + Long.hashCode(maxTimes[i]);
      h = 31 * h + Long.hashCode(refs[i]);
    }
    return h;
  }

  /** {@code [minTime..maxTime@ref, ...]}, refs as segment file and offset. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(minTimes[i]).append("..").append(maxTimes[i]).append('@')
          .append(dev.strata.tsdb.chunks.ChunkRef.toString(refs[i]));
    }
    return sb.append(']').toString();
  }
}
