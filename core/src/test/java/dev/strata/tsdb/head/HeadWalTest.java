package dev.strata.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.wal.WalFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadWalTest {
  static final long HOUR = 3_600_000L;

  @TempDir Path dir;

  private HeadOptions options(boolean compress) {
    return new HeadOptions(2 * HOUR, true, WalFormat.PAGE_SIZE, compress, false);
  }

  private static List<String> all(Head head, String name) {
    try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      List<String> out = new ArrayList<>();
      for (long ref : r.postings(LabelMatcher.equal("__name__", name))) {
        out.addAll(HeadTest.read(r, ref, null).stream().map(s -> r.labels(ref) + " " + s).toList());
      }
      return out;
    }
  }

  private static void fill(Head head, int series, long from, long to) {
    Appender app = head.appender();
    for (long t = from; t < to; t += 15_000) {
      for (int s = 0; s < series; s++) {
        app.append(Labels.of("__name__", "m", "s", Integer.toString(s)), t, t / 1000.0 + s);
      }
      app.commit();
    }
  }

  @Test
  void reopeningReplaysEverythingCommitted() throws IOException {
    for (boolean compress : new boolean[] {false, true}) {
      Path wal = dir.resolve("wal-" + compress);
      List<String> before;
      try (Head head = Head.open(wal, options(compress), Long.MIN_VALUE)) {
        fill(head, 20, 0, 3 * HOUR);
        Appender uncommitted = head.appender();
        uncommitted.append(Labels.of("__name__", "m", "s", "0"), 10 * HOUR, 1);
        before = all(head, "m");
      }
      try (Head head = Head.open(wal, options(compress), Long.MIN_VALUE)) {
        assertEquals(before, all(head, "m"));
        assertEquals(20, head.numSeries());
        fill(head, 20, 3 * HOUR, 4 * HOUR); // appending after replay continues the series
        assertEquals(before.size() + 20 * 240, all(head, "m").size());
      }
    }
  }

  @Test
  void checkpointKeepsOnlyWhatTheHeadStillHolds() throws IOException {
    Path wal = dir.resolve("wal");
    List<String> kept;
    try (Head head = Head.open(wal, options(false), Long.MIN_VALUE)) {
      Appender app = head.appender();
      app.append(Labels.of("__name__", "short_lived"), 1000, 1);
      app.commit();
      fill(head, 10, 0, 2 * HOUR);
      fill(head, 10, 2 * HOUR, 5 * HOUR);
      int segmentsBefore = WalFormat.segmentIndexes(wal).size();
      head.truncateBefore(2 * HOUR);
      head.truncateWal(2 * HOUR);
      assertTrue(WalFormat.segmentIndexes(wal).size() < segmentsBefore, "segments were checkpointed");
      assertTrue(WalCheckpoint.latest(wal).isPresent());
      kept = all(head, "m");
      assertEquals(10 * 3 * 240, kept.size());
    }
    // Replay from checkpoint + remaining segments, with blocks covering everything before 2h.
    try (Head head = Head.open(wal, options(false), 2 * HOUR)) {
      assertEquals(kept, all(head, "m"));
      assertEquals(List.of(), all(head, "short_lived"));
    }
  }

  @Test
  void aTornTailIsCutAndEverythingBeforeItKept() throws IOException {
    Path wal = dir.resolve("wal");
    List<String> before;
    try (Head head = Head.open(wal, options(false), Long.MIN_VALUE)) {
      fill(head, 5, 0, HOUR);
      before = all(head, "m");
    }
    // Simulate a torn write: garbage after the last record of the last segment.
    List<Integer> segments = WalFormat.segmentIndexes(wal);
    Path last = wal.resolve(WalFormat.segmentName(segments.get(segments.size() - 1)));
    byte[] bytes = Files.readAllBytes(last);
    int end = bytes.length; // a closed segment ends with a complete page
    byte[] torn = java.util.Arrays.copyOf(bytes, end + 20);
    torn[end] = 1; // a "full" fragment header on a new page...
    torn[end + 1] = 0;
    torn[end + 2] = 100; // ...claiming 100 bytes that never reached the disk
    Files.write(last, torn);
    try (Head head = Head.open(wal, options(false), Long.MIN_VALUE)) {
      assertEquals(before, all(head, "m"));
      fill(head, 5, HOUR, HOUR + 60_000);
    }
    try (Head head = Head.open(wal, options(false), Long.MIN_VALUE)) {
      assertEquals(before.size() + 5 * 4, all(head, "m").size());
    }
  }
}
