package dev.strata.tsdb.head;

import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.record.SampleBatch;
import dev.strata.tsdb.record.WalRecords;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.SampleRejectedException;
import dev.strata.tsdb.storage.UnknownSeriesException;
import java.util.Arrays;

/**
 * Buffers one thread's samples until commit. Samples are checked as they arrive, against the
 * committed head and against this batch, so that a bad sample is refused at once with a clear
 * message; the head checks again at commit, under its lock, for samples other appenders committed
 * meanwhile. The batch's samples record is encoded before taking the commit lock.
 *
 * <p>Nothing per series is registered while buffering: if the head was truncated meanwhile (a
 * series with nothing recent may have been removed), the commit notices by the truncation count
 * and resolves such series again by their labels.
 */
final class HeadAppender implements Appender {
  private final Head head;
  private final SampleBatch batch = new SampleBatch();
  private MemSeries[] batchSeries = new MemSeries[64];
  private boolean[] firstOfSeries = new boolean[64];
  // Series reference -> index in `batch` of its latest sample.
  private final LongLongMap latestInBatch = new LongLongMap();
  private final ByteSink record = new ByteSink(1024);
  private final CommitScratch scratch = new CommitScratch();
  private long truncationsAtStart = -1;

  HeadAppender(Head head) {
    this.head = head;
  }

  @Override
  public long append(Labels labels, long t, double v) {
    return add(head.getOrCreate(labels), t, Double.doubleToRawLongBits(v));
  }

  @Override
  public long append(long ref, long t, double v) {
    MemSeries s = head.seriesByRef(ref);
    if (s == null || s.removed()) {
      throw new UnknownSeriesException(ref);
    }
    return add(s, t, Double.doubleToRawLongBits(v));
  }

  private long add(MemSeries s, long t, long bits) {
    long minValid = head.appendableMinValidTime();
    if (t < minValid) {
      throw SampleRejectedException.tooOld(s.labels, t, minValid);
    }
    if (batch.size() > 0 && head.truncations() != truncationsAtStart) {
      s = resolveRemovedSeries(s);
    }
    int index = batch.size();
    // Claims the next index for this series in one probe; undone below if the sample is refused.
    long latest = latestInBatch.getAndPut(s.ref, index, -1);
    boolean skip;
    try {
      skip = checkAgainst(s, t, bits, latest);
    } catch (RuntimeException e) {
      latestInBatch.put(s.ref, latest); // -1 (no sample in this batch) or the previous index
      throw e;
    }
    if (skip) { // an exact repeat, or a dropped out-of-order sample: nothing to store
      latestInBatch.put(s.ref, latest);
      return s.ref;
    }
    if (index == 0) {
      truncationsAtStart = head.truncations();
    }
    batch.add(s.ref, t, bits);
    if (index == firstOfSeries.length) {
      firstOfSeries = Arrays.copyOf(firstOfSeries, index * 2);
      batchSeries = Arrays.copyOf(batchSeries, index * 2);
    }
    firstOfSeries[index] = latest < 0;
    batchSeries[index] = s;
    return s.ref;
  }

  /**
   * After a truncation during the batch: series it removed (they had nothing committed recently)
   * are resolved again by their labels, so that the batch's samples and the new ones of such a
   * series are checked against each other under one reference. Returns {@code s}, resolved too.
   */
  private MemSeries resolveRemovedSeries(MemSeries s) {
    long epoch = head.truncations(); // before resolving: a later truncation is noticed again
    int n = batch.size();
    latestInBatch.clear();
    for (int i = 0; i < n; i++) {
      MemSeries x = batchSeries[i];
      if (x.removed()) {
        x = head.getOrCreate(x.labels);
        batchSeries[i] = x;
        batch.setRef(i, x.ref);
      }
      firstOfSeries[i] = latestInBatch.getAndPut(x.ref, i, -1) < 0;
    }
    truncationsAtStart = epoch;
    return s.removed() ? head.getOrCreate(s.labels) : s;
  }

  /**
   * Checks a sample against the batch's latest sample of its series (at {@code latest}, or none
   * when negative) or else against the head. Returns true for an exact repeat, which is accepted
   * but not stored; throws for a refused sample.
   */
  private boolean checkAgainst(MemSeries s, long t, long bits, long latest) {
    if (latest >= 0) {
      int i = (int) latest;
      long last = batch.time(i);
      if (t < last) {
        rejectOutOfOrder(s, t, last);
        return true;
      }
      if (t == last) {
        if (bits != batch.valueBits(i)) {
          throw SampleRejectedException.duplicate(s.labels, t);
        }
        return true;
      }
      return false;
    }
    switch (s.check(t, bits)) {
      case DUPLICATE:
        return true;
      case DUPLICATE_DIFFERENT_VALUE:
        throw SampleRejectedException.duplicate(s.labels, t);
      case OUT_OF_ORDER:
        rejectOutOfOrder(s, t, s.loggedTime());
        return true;
      default:
        return false;
    }
  }

  private long rejectOutOfOrder(MemSeries s, long t, long newest) {
    if (head.rejectsOutOfOrder()) {
      throw SampleRejectedException.outOfOrder(s.labels, t, newest);
    }
    head.countDroppedOutOfOrder();
    return s.ref;
  }

  @Override
  public void commit() {
    try {
      record.clear();
      if (batch.size() > 0) {
        WalRecords.encodeSamples(record, batch);
      }
      head.commit(batch, batchSeries, firstOfSeries, scratch, record, truncationsAtStart);
    } finally {
      reset();
    }
  }

  @Override
  public void rollback() {
    reset();
  }

  private void reset() {
    Arrays.fill(batchSeries, 0, batch.size(), null);
    batch.clear();
    latestInBatch.clear();
  }
}
