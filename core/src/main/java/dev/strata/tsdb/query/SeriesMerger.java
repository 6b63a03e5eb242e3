package dev.strata.tsdb.query;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import java.util.List;

/**
 * Walks several cursors in label order at once and stops at each label set with the cursors that
 * hold it: the head and the blocks of a query, or the blocks being compacted, each contribute the
 * chunks they have of that series. A linear scan finds the smallest labels; queries and
 * compactions combine a handful of sources, for which it beats a heap.
 */
public final class SeriesMerger {
  private final ChunkSeriesCursor[] cursors;
  private final boolean[] live;
  private final boolean[] atCurrent;
  private final int[] current;
  private int currentCount;
  private Labels labels;
  private boolean started;

  public SeriesMerger(List<? extends ChunkSeriesCursor> cursors) {
    this.cursors = cursors.toArray(new ChunkSeriesCursor[0]);
    this.live = new boolean[this.cursors.length];
    this.atCurrent = new boolean[this.cursors.length];
    this.current = new int[this.cursors.length];
  }

  /** Advances to the next label set; false when every cursor is exhausted. */
  public boolean next() {
    if (!started) {
      started = true;
      for (int k = 0; k < cursors.length; k++) {
        live[k] = cursors[k].next();
      }
    } else {
      for (int j = 0; j < currentCount; j++) {
        int k = current[j];
        live[k] = cursors[k].next();
      }
    }
    Labels min = null;
    for (int k = 0; k < cursors.length; k++) {
      if (live[k]) {
        Labels l = cursors[k].labels();
        if (min == null || l.compareTo(min) < 0) {
          min = l;
        }
      }
    }
    currentCount = 0;
    if (min == null) {
      labels = null;
      return false;
    }
    for (int k = 0; k < cursors.length; k++) {
      atCurrent[k] = live[k] && (cursors[k].labels() == min || cursors[k].labels().equals(min));
      if (atCurrent[k]) {
        current[currentCount++] = k;
      }
    }
    labels = min;
    return true;
  }

  public Labels labels() {
    return labels;
  }

  /** Number of cursors positioned on the current label set. */
  public int count() {
    return currentCount;
  }

  /** The {@code j}-th cursor on the current label set, in the order the cursors were given. */
  public ChunkSeriesCursor cursor(int j) {
    return cursors[current[j]];
  }
}
