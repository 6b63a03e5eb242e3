package dev.strata.tsdb.tombstones;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The deleted time ranges of one series: closed intervals, sorted and merged, so that no two
 * overlap or touch. Intervals that touch ({@code [1, 5]} and {@code [6, 9]}) merge into one, as in
 * Prometheus, because timestamps are integers and nothing lies between them.
 *
 * <p>Stored as one {@code long[]} of bounds, {@code min0, max0, min1, max1, ...}, so that {@link
 * #contains} is a binary search over primitives, which query paths call once per sample or chunk.
 * Immutable; {@link #add} returns a new instance.
 *
 * <p>Prometheus computes the neighbours of {@code [a, b]} as {@code a - 1} and {@code b + 1} in
 * wrapping 64-bit arithmetic, which misbehaves for intervals ending at {@code Long.MAX_VALUE} (the
 * "delete everything after" case). Here those bounds saturate, so such intervals merge like any
 * other; the set of deleted timestamps is the same, only the list can be shorter.
 */
public final class Intervals {

  /** No deleted ranges. */
  public static final Intervals EMPTY = new Intervals(new long[0]);

  private final long[] bounds;

  private Intervals(long[] bounds) {
    this.bounds = bounds;
  }

  /** The union of {@code intervals}, in any order, overlapping or not. */
  public static Intervals of(Interval... intervals) {
    return of(Arrays.asList(intervals));
  }

  /** The union of {@code intervals}, in any order, overlapping or not. */
  public static Intervals of(Collection<Interval> intervals) {
    long[] pairs = new long[intervals.size() * 2];
    int i = 0;
    for (Interval iv : intervals) {
      pairs[i++] = iv.minTime();
      pairs[i++] = iv.maxTime();
    }
    return normalize(pairs, intervals.size());
  }

  /**
   * The union of the first {@code count} pairs of {@code pairs} (each a valid interval), sorting
   * and merging in place.
   */
  static Intervals normalize(long[] pairs, int count) {
    if (count == 0) {
      return EMPTY;
    }
    sortPairs(pairs, count);
    int out = 0;
    for (int i = 1; i < count; i++) {
      long min = pairs[2 * i];
      long max = pairs[2 * i + 1];
      if (touches(pairs[2 * out + 1], min)) {
        pairs[2 * out + 1] = Math.max(pairs[2 * out + 1], max);
      } else {
        out++;
        pairs[2 * out] = min;
        pairs[2 * out + 1] = max;
      }
    }
    return new Intervals(Arrays.copyOf(pairs, 2 * (out + 1)));
  }

  // Whether an interval starting at nextMin joins one ending at max, given nextMin is not below
  // that interval's start: overlapping or adjacent.
  private static boolean touches(long max, long nextMin) {
    return max == Long.MAX_VALUE || nextMin <= max + 1;
  }

  // Sorts the pairs by their first element. Counts are small (deletions of one series), so an
  // insertion sort suffices for the common case; larger inputs go through an index sort.
  private static void sortPairs(long[] pairs, int count) {
    if (count <= 32) {
      for (int i = 1; i < count; i++) {
        long min = pairs[2 * i];
        long max = pairs[2 * i + 1];
        int j = i - 1;
        while (j >= 0 && pairs[2 * j] > min) {
          pairs[2 * j + 2] = pairs[2 * j];
          pairs[2 * j + 3] = pairs[2 * j + 1];
          j--;
        }
        pairs[2 * j + 2] = min;
        pairs[2 * j + 3] = max;
      }
      return;
    }
    long[][] sorted = new long[count][];
    for (int i = 0; i < count; i++) {
      sorted[i] = new long[] {pairs[2 * i], pairs[2 * i + 1]};
    }
    Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
    for (int i = 0; i < count; i++) {
      pairs[2 * i] = sorted[i][0];
      pairs[2 * i + 1] = sorted[i][1];
    }
  }

  /** These intervals and {@code interval}, merged. */
  public Intervals add(Interval interval) {
    return add(interval.minTime(), interval.maxTime());
  }

  /**
   * These intervals and {@code [minTime, maxTime]}, merged.
   *
   * @throws IllegalArgumentException if {@code minTime > maxTime}
   */
  public Intervals add(long minTime, long maxTime) {
    if (minTime > maxTime) {
      throw new IllegalArgumentException(
          "interval [" + minTime + ", " + maxTime + "] ends before it starts");
    }
    int n = size();
    // First interval that ends at or after minTime - 1, i.e. the first the new one can join.
    int first = firstEndingAtOrAfter(minTime == Long.MIN_VALUE ? minTime : minTime - 1);
    // Intervals [first, last) join: they start at or before maxTime + 1.
    int last = first;
    while (last < n && (maxTime == Long.MAX_VALUE || bounds[2 * last] <= maxTime + 1)) {
      last++;
    }
    long newMin = minTime;
    long newMax = maxTime;
    if (last > first) {
      newMin = Math.min(newMin, bounds[2 * first]);
      newMax = Math.max(newMax, bounds[2 * last - 1]);
    }
    long[] next = new long[2 * (n - (last - first) + 1)];
    System.arraycopy(bounds, 0, next, 0, 2 * first);
    next[2 * first] = newMin;
    next[2 * first + 1] = newMax;
    System.arraycopy(bounds, 2 * last, next, 2 * first + 2, 2 * (n - last));
    return new Intervals(next);
  }

  /** The union of these intervals and {@code other}. */
  public Intervals union(Intervals other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    long[] pairs = Arrays.copyOf(bounds, bounds.length + other.bounds.length);
    System.arraycopy(other.bounds, 0, pairs, bounds.length, other.bounds.length);
    return normalize(pairs, pairs.length / 2);
  }

  // Index of the first interval whose max is >= t, or size() if none.
  private int firstEndingAtOrAfter(long t) {
    int lo = 0;
    int hi = size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (bounds[2 * mid + 1] >= t) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Whether {@code t} is deleted: it lies in one of the intervals. */
  public boolean contains(long t) {
    int i = firstEndingAtOrAfter(t);
    return i < size() && bounds[2 * i] <= t;
  }

  /**
   * Whether all of {@code [minTime, maxTime]} is deleted, so a chunk spanning it can be skipped
   * without decoding. As the intervals are merged, that means inside a single one.
   */
  public boolean covers(long minTime, long maxTime) {
    int i = firstEndingAtOrAfter(maxTime);
    return i < size() && bounds[2 * i] <= minTime;
  }

  /** Number of intervals. */
  public int size() {
    return bounds.length >> 1;
  }

  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /** Start of interval {@code i}. */
  public long minTime(int i) {
    return bounds[2 * checkIndex(i)];
  }

  /** End (inclusive) of interval {@code i}. */
  public long maxTime(int i) {
    return bounds[2 * checkIndex(i) + 1];
  }

  public Interval get(int i) {
    return new Interval(minTime(i), maxTime(i));
  }

  /** The intervals as a list, ascending. */
  public List<Interval> asList() {
    return new AbstractList<>() {
      @Override
      public Interval get(int index) {
        return Intervals.this.get(index);
      }

      @Override
      public int size() {
        return Intervals.this.size();
      }
    };
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= size()) {
      throw new IndexOutOfBoundsException("interval " + i + " of " + size());
    }
    return i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Intervals other && Arrays.equals(bounds, other.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    return asList().toString();
  }
}
