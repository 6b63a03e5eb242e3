package dev.strata.tsdb.head;

import java.util.Arrays;

/**
 * The readers that are open on the head, with the commit each one sees and the truncation epoch it
 * started in. From them the head knows which commit bookkeeping it may forget (everything at or
 * below the oldest open snapshot) and which freed chunk slots it may reuse (those dropped in an
 * epoch every open reader started after).
 */
final class ReadRegistry {
  private long[] snapshots = new long[8];
  private long[] epochs = new long[8];
  private long[] ids = new long[8];
  private long[] minTimes = new long[8];
  private long[] maxTimes = new long[8];
  private int size;
  private long nextId;

  /** Registers a reader; returns its id for {@link #close}. */
  synchronized long open(long snapshotSeq, long epoch, long minTime, long maxTime) {
    if (size == ids.length) {
      snapshots = Arrays.copyOf(snapshots, size * 2);
      epochs = Arrays.copyOf(epochs, size * 2);
      ids = Arrays.copyOf(ids, size * 2);
      minTimes = Arrays.copyOf(minTimes, size * 2);
      maxTimes = Arrays.copyOf(maxTimes, size * 2);
    }
    long id = nextId++;
    snapshots[size] = snapshotSeq;
    epochs[size] = epoch;
    ids[size] = id;
    minTimes[size] = minTime;
    maxTimes[size] = maxTime;
    size++;
    return id;
  }

  /**
   * Waits until every reader opened before this call whose range overlaps {@code [minTime,
   * maxTime]} is closed: such a reader may be reading data that is about to be dropped.
   */
  synchronized void awaitReadersOf(long minTime, long maxTime) throws InterruptedException {
    long before = nextId;
    while (true) {
      boolean waiting = false;
      for (int i = 0; i < size; i++) {
        if (ids[i] < before && minTimes[i] <= maxTime && maxTimes[i] >= minTime) {
          waiting = true;
          break;
        }
      }
      if (!waiting) {
        return;
      }
      wait();
    }
  }

  synchronized void close(long id) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) {
        size--;
        snapshots[i] = snapshots[size];
        epochs[i] = epochs[size];
        ids[i] = ids[size];
        minTimes[i] = minTimes[size];
        maxTimes[i] = maxTimes[size];
        notifyAll();
        return;
      }
    }
  }

  /**
   * Waits until every reader is closed, calling {@code stillWaiting} with their number every
   * {@code reportMillis} while it waits.
   */
  synchronized void awaitAllClosed(long reportMillis, java.util.function.IntConsumer stillWaiting)
      throws InterruptedException {
    while (size > 0) {
      long before = System.currentTimeMillis();
      wait(reportMillis);
      if (size > 0 && System.currentTimeMillis() - before >= reportMillis) {
        stillWaiting.accept(size);
      }
    }
  }

  /** The oldest snapshot among open readers, or {@code current} if none is older. */
  synchronized long lowWatermark(long current) {
    long low = current;
    for (int i = 0; i < size; i++) {
      low = Math.min(low, snapshots[i]);
    }
    return low;
  }

  /** The oldest epoch among open readers, or {@code current} if none is older. */
  synchronized long oldestEpoch(long current) {
    long low = current;
    for (int i = 0; i < size; i++) {
      low = Math.min(low, epochs[i]);
    }
    return low;
  }

  synchronized int openReaders() {
    return size;
  }
}
