package dev.strata.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.SampleRejectedException;
import dev.strata.tsdb.storage.UnknownSeriesException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeadTest {
  static final long HOUR = 3_600_000L;
  private final Head head = Head.inMemory(new HeadOptions(2 * HOUR, true, 1 << 20, false, false));

  @AfterEach
  void close() throws Exception {
    head.close();
  }

  /** Samples of series ref as "t=v" strings, and the chunk sizes seen. */
  static List<String> read(HeadReader r, long ref, List<Integer> chunkSizes) {
    SeriesSnapshot snap = new SeriesSnapshot();
    List<String> out = new ArrayList<>();
    if (!r.series(ref, snap)) {
      return out;
    }
    XorChunkIterator it = new XorChunkIterator();
    for (int i = 0; i < snap.chunkCount(); i++) {
      r.reset(it, snap, i);
      int n = 0;
      while (it.next()) {
        out.add(it.atT() + "=" + it.atV());
        n++;
      }
      if (chunkSizes != null) {
        chunkSizes.add(n);
      }
    }
    return out;
  }

  @Test
  void cutsChunksLikePrometheus() {
    Appender app = head.appender();
    Labels l = Labels.of("__name__", "up", "job", "a");
    long ref = 0;
    // 6 hours of 15 s scrapes starting at an aligned 2 h boundary.
    for (int i = 0; i < 6 * 240; i++) {
      ref = app.append(l, i * 15_000L, i);
      if (i % 100 == 99) {
        app.commit();
      }
    }
    app.commit();
    List<Integer> sizes = new ArrayList<>();
    try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertEquals(6 * 240, read(r, ref, sizes).size());
    }
    // Each 2 h window of 480 samples splits into 4 chunks of 120, as Prometheus's head does.
    assertEquals(List.of(120, 120, 120, 120, 120, 120, 120, 120, 120, 120, 120, 120), sizes);
  }

  @Test
  void readersSeeCommitsCompletedBeforeThemOnly() {
    Appender app = head.appender();
    Labels l = Labels.of("__name__", "m");
    long ref = app.append(l, 1000, 1);
    app.commit();
    try (HeadReader before = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      for (int i = 2; i < 400; i++) {
        app.append(ref, i * 1000L, i);
        app.commit();
      }
      assertEquals(List.of("1000=1.0"), read(before, ref, null));
      try (HeadReader after = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertEquals(399, read(after, ref, null).size());
      }
    }
    // Uncommitted samples are invisible too.
    app.append(ref, 500_000, 1);
    try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertEquals(399, read(r, ref, null).size());
    }
    app.rollback();
  }

  @Test
  void refusesOutOfOrderAndConflictingDuplicatesWithClearMessages() {
    Appender app = head.appender();
    Labels l = Labels.of("__name__", "m", "i", "1");
    long ref = app.append(l, 2000, 1);
    SampleRejectedException inBatch =
        assertThrows(SampleRejectedException.class, () -> app.append(ref, 1000, 1));
    assertTrue(inBatch.getMessage().contains("out-of-order sample for {__name__=\"m\", i=\"1\"}"), inBatch.getMessage());
    assertTrue(inBatch.getMessage().contains("1000") && inBatch.getMessage().contains("2000"));
    app.commit();
    assertThrows(SampleRejectedException.class, () -> app.append(ref, 1500, 1));
    SampleRejectedException dup = assertThrows(SampleRejectedException.class, () -> app.append(ref, 2000, 7));
    assertTrue(dup.getMessage().contains("duplicate sample"), dup.getMessage());
    app.append(ref, 2000, 1); // exact repeat: accepted, ignored
    app.commit();
    try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertEquals(List.of("2000=1.0"), read(r, ref, null));
    }
  }

  @Test
  void aCommitIntoARangeClosedForCompactionFailsWhole() {
    Appender app = head.appender();
    Labels l = Labels.of("__name__", "m");
    long ref = app.append(l, 1000, 1);
    app.commit();
    // Valid when appended; then head compaction closes [.., 2000) before the commit.
    app.append(ref, 1500, 2);
    app.append(Labels.of("__name__", "other"), 2500, 3);
    head.closeBefore(2000);
    SampleRejectedException e = assertThrows(SampleRejectedException.class, app::commit);
    assertTrue(e.getMessage().contains("at timestamp 1500 is too old"), e.getMessage());
    try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertEquals(List.of("1000=1.0"), read(r, ref, null));
      // The series exists (series are created on append, as in Prometheus) but holds nothing.
      long other = r.postings(LabelMatcher.equal("__name__", "other"))[0];
      assertEquals(List.of(), read(r, other, null), "nothing of the batch kept");
    }
    app.append(ref, 2000, 4);
    app.commit();
  }

  @Test
  void aConflictingCommitFailsWholeAndKeepsNothing() {
    Appender a = head.appender();
    Appender b = head.appender();
    Labels x = Labels.of("__name__", "x");
    Labels y = Labels.of("__name__", "y");
    long rx = a.append(x, 1000, 1);
    a.append(y, 1000, 1);
    a.commit();
    a.append(x, 3000, 3);
    a.append(y, 3000, 3);
    b.append(x, 2000, 2);
    b.commit(); // x now ends at 2000 ... fine, a's 3000 is still in order
    a.commit();
    // x is at 3000 now: refused when appended.
    assertThrows(SampleRejectedException.class, () -> b.append(rx, 2500, 9));
    b.rollback();
    Appender c = head.appender();
    Appender d = head.appender();
    c.append(y, 5000, 5);
    c.append(x, 5000, 5);
    d.append(x, 6000, 6);
    d.commit();
    assertThrows(SampleRejectedException.class, c::commit);
    try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      long ry = r.postings(LabelMatcher.equal("__name__", "y"))[0];
      // y did not get 5000: the failed commit kept nothing.
      assertEquals(List.of("1000=1.0", "3000=3.0"), read(r, ry, null));
    }
  }

  @Test
  void matchersFollowPrometheusSemantics() {
    Appender app = head.appender();
    app.append(Labels.of("__name__", "m", "a", "1"), 1, 1);
    app.append(Labels.of("__name__", "m", "a", "2", "b", "x"), 1, 1);
    app.append(Labels.of("__name__", "m", "b", "y"), 1, 1);
    app.append(Labels.of("__name__", "n", "a", "1"), 1, 1);
    app.commit();
    try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertEquals(List.of("{__name__=\"m\", a=\"1\"}", "{__name__=\"m\", a=\"2\", b=\"x\"}", "{__name__=\"m\", b=\"y\"}"),
          names(r, LabelMatcher.equal("__name__", "m")));
      assertEquals(List.of("{__name__=\"m\", a=\"1\"}"),
          names(r, LabelMatcher.equal("__name__", "m"), LabelMatcher.equal("b", "")));
      assertEquals(List.of("{__name__=\"m\", a=\"2\", b=\"x\"}", "{__name__=\"m\", b=\"y\"}"),
          names(r, LabelMatcher.equal("__name__", "m"), LabelMatcher.notEqual("a", "1")));
      assertEquals(List.of("{__name__=\"m\", a=\"2\", b=\"x\"}"),
          names(r, LabelMatcher.regex("a", ".+"), LabelMatcher.notEqual("a", "1")));
      assertEquals(List.of("{__name__=\"m\", b=\"y\"}"),
          names(r, LabelMatcher.notRegex("a", ".+"), LabelMatcher.equal("__name__", "m")));
      // a!~".*" rejects the empty value, so the label must be present: nothing matches.
      assertEquals(List.of(), names(r, LabelMatcher.notRegex("a", ".*")));
      assertEquals(List.of("1", "2"), r.labelValues("a"));
      assertEquals(List.of("x", "y"), r.labelValues("b", LabelMatcher.equal("__name__", "m")));
      assertEquals(List.of("__name__", "a", "b"), r.labelNames());
    }
  }

  private static List<String> names(HeadReader r, LabelMatcher... ms) {
    List<String> out = new ArrayList<>();
    for (long ref : r.postings(ms)) {
      out.add(r.labels(ref).toString());
    }
    return out;
  }

  @Test
  void truncationDropsOldChunksAndEmptySeriesAndRefusesOldSamples() {
    Appender app = head.appender();
    long keep = 0;
    long gone = app.append(Labels.of("__name__", "old"), 0, 1);
    for (int i = 0; i < 4 * 240; i++) {
      keep = app.append(Labels.of("__name__", "live"), i * 15_000L, i);
    }
    app.commit();
    HeadReader open = head.reader(Long.MIN_VALUE, Long.MAX_VALUE);
    HeadReader recent = head.reader(3 * HOUR, Long.MAX_VALUE);
    java.util.concurrent.CompletableFuture<Integer> truncation =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> head.truncateBefore(2 * HOUR));
    // Truncation waits for the reader of the range it drops, not for the other one.
    assertThrows(java.util.concurrent.TimeoutException.class,
        () -> truncation.get(300, java.util.concurrent.TimeUnit.MILLISECONDS));
    assertEquals(4 * 240, read(open, keep, null).size());
    open.close();
    assertEquals(1, truncation.join());
    recent.close();
    try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertEquals(2 * 240, read(r, keep, null).size());
      assertEquals(0, r.postings(LabelMatcher.equal("__name__", "old")).length);
    }
    long goneRef = gone;
    assertThrows(UnknownSeriesException.class, () -> head.appender().append(goneRef, 10, 1));
    assertThrows(SampleRejectedException.class, () -> head.appender().append(Labels.of("__name__", "live"), HOUR, 1));
    assertEquals(2 * HOUR, head.minTime());
  }

  @Test
  void offHeapMemoryIsReturnedWhenReadersClose() {
    Appender app = head.appender();
    for (int s = 0; s < 50; s++) {
      for (int i = 0; i < 500; i++) {
        app.append(Labels.of("__name__", "m", "s", Integer.toString(s)), i * 15_000L, i);
      }
    }
    app.commit();
    long live = head.arena().liveSlots();
    HeadReader r = head.reader(2 * HOUR, Long.MAX_VALUE);
    head.truncateBefore(2 * HOUR);
    assertEquals(live, head.arena().liveSlots(), "nothing freed while a reader is open");
    r.close();
    assertTrue(head.arena().liveSlots() < live, "freed once the reader closed");
    assertArrayEquals(new long[0], new long[0]);
  }
}
