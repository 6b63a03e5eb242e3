package dev.strata.tsdb.head;

import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.record.SampleBatch;
import dev.strata.tsdb.record.WalRecords;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.SampleRejectedException;
import dev.strata.tsdb.storage.UnknownSeriesException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Buffers one thread's samples until commit. Samples are checked as they arrive, against the
 * committed head and against this batch, so that a bad sample is refused at once with a clear
 * message; the head checks again at commit, under its lock, for samples other appenders committed
 * meanwhile. The batch's samples record is encoded before taking the commit lock.
 */
final class HeadAppender implements Appender {
  private final Head head;
  private final SampleBatch batch = new SampleBatch();
  private boolean[] firstOfSeries = new boolean[64];
  // Series reference -> index in `batch` of its latest sample.
  private final LongLongMap latestInBatch = new LongLongMap();
  private final List<MemSeries> touched = new ArrayList<>();
  private final ByteSink record = new ByteSink(1024);

  HeadAppender(Head head) {
    this.head = head;
  }

  @Override
  public long append(Labels labels, long t, double v) {
    while (true) {
      MemSeries s = head.getOrCreate(labels);
      if (latestInBatch.get(s.ref, -1) >= 0 || s.addPendingAppender()) {
        if (latestInBatch.get(s.ref, -1) < 0) {
          touched.add(s);
        }
        return add(s, t, Double.doubleToRawLongBits(v), true);
      }
      // The series was removed between lookup and registration: look it up again.
    }
  }

  @Override
  public long append(long ref, long t, double v) {
    long bits = Double.doubleToRawLongBits(v);
    if (latestInBatch.get(ref, -1) >= 0) {
      return add(head.seriesByRef(ref), t, bits, false);
    }
    MemSeries s = head.seriesByRef(ref);
    if (s == null || !s.addPendingAppender()) {
      throw new UnknownSeriesException(ref);
    }
    touched.add(s);
    return add(s, t, bits, true);
  }

  // `registered` is true when this call registered the appender with the series.
  private long add(MemSeries s, long t, long bits, boolean registered) {
    long latest = latestInBatch.get(s.ref, -1);
    try {
      long minValid = head.appendableMinValidTime();
      if (t < minValid) {
        throw SampleRejectedException.tooOld(s.labels, t, minValid);
      }
      if (latest >= 0) {
        int i = (int) latest;
        long last = batch.time(i);
        if (t < last) {
          return rejectOutOfOrder(s, t, last);
        }
        if (t == last) {
          if (bits != batch.valueBits(i)) {
            throw SampleRejectedException.duplicate(s.labels, t);
          }
          return s.ref;
        }
      } else {
        switch (s.check(t, bits)) {
          case DUPLICATE:
            return s.ref;
          case DUPLICATE_DIFFERENT_VALUE:
            throw SampleRejectedException.duplicate(s.labels, t);
          case OUT_OF_ORDER:
            return rejectOutOfOrder(s, t, s.lastTime());
          default:
            break;
        }
      }
    } catch (RuntimeException e) {
      if (registered && latest < 0) {
        unregister(s);
      }
      throw e;
    }
    int index = batch.size();
    batch.add(s.ref, t, bits);
    if (index == firstOfSeries.length) {
      firstOfSeries = Arrays.copyOf(firstOfSeries, index * 2);
    }
    firstOfSeries[index] = latest < 0;
    latestInBatch.put(s.ref, index);
    return s.ref;
  }

  private long rejectOutOfOrder(MemSeries s, long t, long newest) {
    if (head.rejectsOutOfOrder()) {
      throw SampleRejectedException.outOfOrder(s.labels, t, newest);
    }
    head.countDroppedOutOfOrder();
    return s.ref;
  }

  private void unregister(MemSeries s) {
    s.removePendingAppender();
    touched.remove(touched.size() - 1);
  }

  @Override
  public void commit() {
    try {
      record.clear();
      if (batch.size() > 0) {
        WalRecords.encodeSamples(record, batch);
      }
      head.commit(batch, firstOfSeries, record);
    } finally {
      reset();
    }
  }

  @Override
  public void rollback() {
    reset();
  }

  private void reset() {
    for (MemSeries s : touched) {
      s.removePendingAppender();
    }
    touched.clear();
    batch.clear();
    latestInBatch.clear();
  }
}
