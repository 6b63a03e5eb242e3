package dev.strata.tsdb.tombstones;

import dev.strata.tsdb.encoding.UnsignedLongs;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The deletions of a block: for each series reference, the {@link Intervals} deleted from it.
 *
 * <p>References are sorted (as unsigned 64-bit numbers, as Go holds them) in a {@code long[]} next
 * to an array of their intervals, so {@link #isDeleted} is two binary searches over primitives and
 * iteration runs in reference order, which is also the order the file is written in. Immutable and
 * therefore safe to share between query threads; build one with {@link #builder()}.
 */
public final class TombstoneSet {

  /** No deletions. */
  public static final TombstoneSet EMPTY = new TombstoneSet(new long[0], new Intervals[0]);

  private final long[] refs;
  private final Intervals[] intervals;
  private final long total;

  private TombstoneSet(long[] refs, Intervals[] intervals) {
    this.refs = refs;
    this.intervals = intervals;
    long t = 0;
    for (Intervals iv : intervals) {
      t += iv.size();
    }
    this.total = t;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these deletions. */
  public Builder toBuilder() {
    return new Builder().addAll(this);
  }

  /** The deleted intervals of series {@code ref}; empty if none. */
  public Intervals get(long ref) {
    int i = indexOf(ref);
    return i < 0 ? Intervals.EMPTY : intervals[i];
  }

  /** Whether the sample of series {@code ref} at {@code t} is deleted. */
  public boolean isDeleted(long ref, long t) {
    int i = indexOf(ref);
    return i >= 0 && intervals[i].contains(t);
  }

  // Position of ref in refs, or -1.
  private int indexOf(long ref) {
    return UnsignedLongs.indexOf(refs, 0, refs.length, ref);
  }

  /** Number of series with deletions. */
  public int seriesCount() {
    return refs.length;
  }

  /** Series reference at position {@code i} of the ascending order. */
  public long ref(int i) {
    return refs[i];
  }

  /** Intervals of the series at position {@code i}. */
  public Intervals intervals(int i) {
    return intervals[i];
  }

  /**
   * Number of intervals over all series: what {@code meta.json} records as {@code numTombstones}
   * and what the compactor weighs against the series count.
   */
  public long total() {
    return total;
  }

  public boolean isEmpty() {
    return refs.length == 0;
  }

  /** Receives one series' deletions. */
  @FunctionalInterface
  public interface Consumer {
    void accept(long ref, Intervals intervals);
  }

  /** Calls {@code consumer} for each series in ascending reference order. */
  public void forEach(Consumer consumer) {
    for (int i = 0; i < refs.length; i++) {
      consumer.accept(refs[i], intervals[i]);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TombstoneSet other
        && Arrays.equals(refs, other.refs)
        && Arrays.equals(intervals, other.intervals);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(refs) + Arrays.hashCode(intervals);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < refs.length; i++) {
      sb.append(i == 0 ? "" : ", ")
          .append(Long.toUnsignedString(refs[i]))
          .append('=')
          .append(intervals[i]);
    }
    return sb.append('}').toString();
  }

  /**
   * Collects deletions in any order; intervals of the same series are merged when the set is built.
   * Not thread-safe.
   */
  public static final class Builder {
    // Per series, a growing array of (min, max) pairs; merged in build().
    private final Map<Long, Pairs> series = new HashMap<>();

    private static final class Pairs {
      long[] bounds = new long[4];
      int count;
    }

    private Builder() {}

    /**
     * Deletes {@code [minTime, maxTime]} from series {@code ref}.
     *
     * @throws IllegalArgumentException if {@code minTime > maxTime}
     */
    public Builder add(long ref, long minTime, long maxTime) {
      if (minTime > maxTime) {
        throw new IllegalArgumentException(
            "interval [" + minTime + ", " + maxTime + "] of series "
                + Long.toUnsignedString(ref) + " ends before it starts");
      }
      Pairs p = series.computeIfAbsent(ref, r -> new Pairs());
      if (2 * p.count + 2 > p.bounds.length) {
        p.bounds = Arrays.copyOf(p.bounds, p.bounds.length * 2);
      }
      p.bounds[2 * p.count] = minTime;
      p.bounds[2 * p.count + 1] = maxTime;
      p.count++;
      return this;
    }

    public Builder add(long ref, Interval interval) {
      return add(ref, interval.minTime(), interval.maxTime());
    }

    /** Adds every interval of {@code ref}. */
    public Builder add(long ref, Intervals intervals) {
      for (int i = 0; i < intervals.size(); i++) {
        add(ref, intervals.minTime(i), intervals.maxTime(i));
      }
      return this;
    }

    /** Adds all deletions of {@code set}. */
    public Builder addAll(TombstoneSet set) {
      set.forEach(this::add);
      return this;
    }

    public TombstoneSet build() {
      if (series.isEmpty()) {
        return EMPTY;
      }
      long[] refs = new long[series.size()];
      int k = 0;
      for (long ref : series.keySet()) {
        // Flipping the sign bit maps unsigned order onto signed order.
        refs[k++] = ref ^ Long.MIN_VALUE;
      }
      Arrays.sort(refs);
      Intervals[] intervals = new Intervals[refs.length];
      for (int i = 0; i < refs.length; i++) {
        refs[i] ^= Long.MIN_VALUE;
        Pairs p = series.get(refs[i]);
        intervals[i] = Intervals.normalize(p.bounds.clone(), p.count);
      }
      return new TombstoneSet(refs, intervals);
    }
  }
}
