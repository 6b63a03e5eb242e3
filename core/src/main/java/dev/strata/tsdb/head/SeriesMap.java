package dev.strata.tsdb.head;

import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * The head's series by label set and by reference.
 *
 * <p>By label set: a hash map per stripe, each behind its own lock, so that appenders creating
 * series on different threads rarely meet. By reference: a directory of fixed-size pages indexed
 * by the reference, read without locking on the append fast path; a {@link MemSeries} reached
 * through a racy read is safe because its identity fields are final and everything else is read
 * under its monitor.
 */
final class SeriesMap {
  private static final int STRIPES = 1 << 12;
  private static final int PAGE_BITS = 12;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;

  private final Object[] stripeLocks = new Object[STRIPES];
  @SuppressWarnings("unchecked")
  private final HashMap<Labels, MemSeries>[] byLabels = new HashMap[STRIPES];

  private volatile MemSeries[][] pages = new MemSeries[16][];
  private final Object pagesLock = new Object();

  SeriesMap() {
    for (int i = 0; i < STRIPES; i++) {
      stripeLocks[i] = new Object();
      byLabels[i] = new HashMap<>();
    }
  }

  private static int stripe(Labels labels) {
    int h = labels.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  /** The series with these labels, or null. */
  MemSeries get(Labels labels) {
    int s = stripe(labels);
    synchronized (stripeLocks[s]) {
      return byLabels[s].get(labels);
    }
  }

  /** The series with this reference, or null. */
  MemSeries get(long ref) {
    if (ref < 0) {
      return null;
    }
    MemSeries[][] p = pages;
    long page = ref >>> PAGE_BITS;
    if (page >= p.length || p[(int) page] == null) {
      return null;
    }
    return p[(int) page][(int) (ref & (PAGE_SIZE - 1))];
  }

  /** Functional creation of a series under the stripe lock. */
  interface Factory {
    MemSeries create(Labels labels);
  }

  /** Returns the series with these labels, creating it with {@code factory} if absent. */
  MemSeries getOrCreate(Labels labels, Factory factory, boolean[] created) {
    int s = stripe(labels);
    synchronized (stripeLocks[s]) {
      MemSeries existing = byLabels[s].get(labels);
      if (existing != null) {
        created[0] = false;
        return existing;
      }
      MemSeries series = factory.create(labels);
      byLabels[s].put(labels, series);
      putRef(series);
      created[0] = true;
      return series;
    }
  }

  private void putRef(MemSeries series) {
    synchronized (pagesLock) {
      long page = series.ref >>> PAGE_BITS;
      if (page > Integer.MAX_VALUE - 1) {
        throw new IllegalStateException("series reference " + series.ref + " out of range");
      }
      MemSeries[][] p = pages;
      if (page >= p.length) {
        MemSeries[][] grown = java.util.Arrays.copyOf(p, (int) Math.max(page + 1, p.length * 2L));
        p = grown;
      }
      if (p[(int) page] == null) {
        p[(int) page] = new MemSeries[PAGE_SIZE];
      }
      p[(int) page][(int) (series.ref & (PAGE_SIZE - 1))] = series;
      pages = p; // publish (also when only a page was added)
    }
  }

  /** Removes a series from both indexes. */
  void remove(MemSeries series) {
    int s = stripe(series.labels);
    synchronized (stripeLocks[s]) {
      byLabels[s].remove(series.labels, series);
    }
    synchronized (pagesLock) {
      MemSeries[][] p = pages;
      int page = (int) (series.ref >>> PAGE_BITS);
      if (page < p.length && p[page] != null) {
        p[page][(int) (series.ref & (PAGE_SIZE - 1))] = null;
      }
      pages = p;
    }
  }

  /** Visits every series; the set may change while this runs. */
  void forEach(Consumer<MemSeries> action) {
    for (int s = 0; s < STRIPES; s++) {
      List<MemSeries> copy;
      synchronized (stripeLocks[s]) {
        if (byLabels[s].isEmpty()) {
          continue;
        }
        copy = new ArrayList<>(byLabels[s].values());
      }
      copy.forEach(action);
    }
  }

  /** Number of series. */
  int size() {
    int n = 0;
    for (int s = 0; s < STRIPES; s++) {
      synchronized (stripeLocks[s]) {
        n += byLabels[s].size();
      }
    }
    return n;
  }
}
