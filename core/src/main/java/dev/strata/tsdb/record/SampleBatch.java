package dev.strata.tsdb.record;

import java.util.Arrays;

/**
 * Samples as parallel primitive arrays (series reference, timestamp, raw value bits): what a
 * samples record holds, and what an appender buffers before commit. Reused; grows as needed.
 */
public final class SampleBatch {
  private long[] refs;
  private long[] times;
  private long[] values;
  private int size;

  public SampleBatch() {
    this(64);
  }

  public SampleBatch(int initialCapacity) {
    refs = new long[initialCapacity];
    times = new long[initialCapacity];
    values = new long[initialCapacity];
  }

  public void clear() {
    size = 0;
  }

  public int size() {
    return size;
  }

  public void add(long ref, long t, long valueBits) {
    if (size == refs.length) {
      int n = Math.max(16, size * 2);
      refs = Arrays.copyOf(refs, n);
      times = Arrays.copyOf(times, n);
      values = Arrays.copyOf(values, n);
    }
    refs[size] = ref;
    times[size] = t;
    values[size] = valueBits;
    size++;
  }

  public long ref(int i) {
    return refs[i];
  }

  public long time(int i) {
    return times[i];
  }

  public long valueBits(int i) {
    return values[i];
  }

  /** Replaces the reference of sample {@code i}, e.g. when a series id is resolved at commit. */
  public void setRef(int i, long ref) {
    refs[i] = ref;
  }
}
