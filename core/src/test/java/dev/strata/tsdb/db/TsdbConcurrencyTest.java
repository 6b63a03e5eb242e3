package dev.strata.tsdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SampleRejectedException;
import dev.strata.tsdb.storage.SeriesSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appender threads, query threads and background compaction at once, for a bounded time: nothing
 * may throw unexpectedly, queries must never see a duplicate or out-of-order sample, and every
 * sample whose commit returned must be there at the end, once.
 */
class TsdbConcurrencyTest {
  @TempDir Path dir;

  @Test
  void appendersQueriesAndCompactionTogether() throws Exception {
    TsdbOptions opts = TsdbOptions.builder()
        .blockRange(Duration.ofSeconds(2))
        .retentionTime(Duration.ZERO)
        .build();
    int writers = 3;
    int seriesPerWriter = 50;
    AtomicLong clock = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Map<String, TreeSet<Long>> acknowledged = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicLong queries = new AtomicLong();
    try (Tsdb db = Tsdb.open(dir, opts)) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        threads.add(new Thread(() -> {
          try {
            Appender app = db.appender();
            long[] refs = new long[seriesPerWriter];
            while (!stop.get()) {
              long t = clock.incrementAndGet() * 10;
              List<String> batch = new ArrayList<>();
              try {
                for (int s = 0; s < seriesPerWriter; s++) {
                  Labels l = Labels.of("__name__", "stress", "w", Integer.toString(writer), "s", Integer.toString(s));
                  refs[s] = app.append(l, t, t);
                  batch.add(l.toString());
                }
                app.commit();
                for (String l : batch) {
                  acknowledged.computeIfAbsent(l, k -> new TreeSet<>()).add(t);
                }
              } catch (SampleRejectedException tooOld) {
                app.rollback(); // another writer moved the head on; this batch is simply not stored
              }
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        }, "writer-" + w));
      }
      for (int q = 0; q < 2; q++) {
        threads.add(new Thread(() -> {
          try {
            while (!stop.get()) {
              try (Querier querier = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                SeriesSet set = querier.select(LabelMatcher.equal("__name__", "stress"));
                while (set.next()) {
                  SampleIterator it = set.at().samples();
                  long prev = Long.MIN_VALUE;
                  while (it.next()) {
                    if (it.t() <= prev || it.v() != it.t()) {
                      throw new AssertionError(set.at().labels() + ": sample " + it.t() + "=" + it.v() + " after " + prev);
                    }
                    prev = it.t();
                  }
                }
              }
              queries.incrementAndGet();
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        }, "reader-" + q));
      }
      threads.forEach(Thread::start);
      Thread.sleep(5_000);
      stop.set(true);
      for (Thread t : threads) {
        t.join(60_000);
      }
      assertTrue(errors.isEmpty(), () -> "errors: " + errors.peek());
      assertTrue(queries.get() > 5, "queries ran: " + queries.get());
      assertTrue(db.blocks().size() > 1, "compaction ran: " + db.blocks());
      verify(db, acknowledged);
    }
    try (Tsdb db = Tsdb.open(dir, opts)) {
      verify(db, acknowledged); // and after a restart
    }
  }

  private static void verify(Tsdb db, Map<String, TreeSet<Long>> acknowledged) {
    long total = 0;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "stress"));
      int series = 0;
      while (set.next()) {
        series++;
        TreeSet<Long> expected = acknowledged.get(set.at().labels().toString());
        List<Long> actual = new ArrayList<>();
        SampleIterator it = set.at().samples();
        while (it.next()) {
          actual.add(it.t());
        }
        assertEquals(new ArrayList<>(expected), actual, set.at().labels().toString());
        total += actual.size();
      }
      assertEquals(acknowledged.size(), series);
    }
    assertTrue(total > 1000, "samples written: " + total);
  }
}
