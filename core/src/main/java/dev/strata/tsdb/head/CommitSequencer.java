package dev.strata.tsdb.head;

import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Orders commits and tells readers which ones they see.
 *
 * <p>A commit is checked and logged under {@link #lock} (so the log's order is the commit order)
 * and then applied to the series outside it, so that two appenders' commits apply in parallel.
 * Commits complete in any order; {@link #completedSeq()} is the highest sequence number up to
 * which every commit is applied, which is what a reader opening now sees.
 *
 * <p>A commit started while no reader is open or opening is applied without the bookkeeping
 * readers need ("unisolated"); a reader opening waits for such commits to finish first, which is
 * bounded by one commit, and new commits are isolated while it waits.
 */
final class CommitSequencer {
  final ReentrantLock lock = new ReentrantLock();
  private final Condition settled = lock.newCondition();

  private long lastSeq; // guarded by lock
  private volatile long completedSeq;
  private final TreeSet<Long> completedAhead = new TreeSet<>(); // guarded by lock
  private int inFlight; // guarded by lock
  private int inFlightUnisolated; // guarded by lock
  private int readersOpening; // guarded by lock

  /** Every commit up to this one is applied. */
  long completedSeq() {
    return completedSeq;
  }

  /** Whether a reader is waiting to open; under the lock. */
  boolean readersOpening() {
    return readersOpening > 0;
  }

  /** Starts commit number {@code lastSeq + 1}; under the lock. */
  long begin(boolean isolated) {
    inFlight++;
    if (!isolated) {
      inFlightUnisolated++;
    }
    return ++lastSeq;
  }

  /** Marks commit {@code seq} applied. Takes the lock. */
  void complete(long seq, boolean isolated) {
    lock.lock();
    try {
      inFlight--;
      if (!isolated) {
        inFlightUnisolated--;
      }
      completedAhead.add(seq);
      long c = completedSeq;
      while (!completedAhead.isEmpty() && completedAhead.first() == c + 1) {
        c = completedAhead.pollFirst();
      }
      completedSeq = c;
      settled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * For a reader about to open, holding the lock: waits until no unisolated commit is in flight.
   * New commits are isolated meanwhile.
   */
  void awaitIsolation() throws InterruptedException {
    readersOpening++;
    try {
      while (inFlightUnisolated > 0) {
        settled.await();
      }
    } finally {
      readersOpening--;
    }
  }

  /** Holding the lock: waits until no commit is in flight (for truncation, deletion, closing). */
  void awaitQuiescent() throws InterruptedException {
    while (inFlight > 0) {
      settled.await();
    }
  }
}
