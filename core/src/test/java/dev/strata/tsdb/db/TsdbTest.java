package dev.strata.tsdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.TsdbStats;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.textparse.GoFloatFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbTest {
  static final long HOUR = 3_600_000L;

  @TempDir Path dir;

  static List<String> dump(Tsdb db, long mint, long maxt, LabelMatcher... ms) {
    List<String> out = new ArrayList<>();
    try (Querier q = db.querier(mint, maxt)) {
      SeriesSet set = q.select(ms.length == 0 ? new LabelMatcher[] {LabelMatcher.regex("__name__", ".+")} : ms);
      while (set.next()) {
        SampleIterator it = set.at().samples();
        while (it.next()) {
          out.add(set.at().labels() + " " + GoFloatFormat.format(it.v()) + " " + it.t());
        }
      }
    }
    return out;
  }

  static void fill(Tsdb db, int series, long from, long to) {
    Appender app = db.appender();
    for (long t = from; t < to; t += 15_000) {
      for (int s = 0; s < series; s++) {
        app.append(Labels.of("__name__", "m", "s", Integer.toString(s)), t, t / 15_000.0 + s);
      }
      app.commit();
    }
  }

  @Test
  void headCompactionCutsBlocksAndQueriesSpanBoth() throws IOException {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      fill(db, 10, 0, 7 * HOUR);
      List<String> before = dump(db, Long.MIN_VALUE, Long.MAX_VALUE);
      assertEquals(10 * 7 * 240, before.size());
      db.compact();
      List<BlockMeta> blocks = db.blocks();
      assertTrue(blocks.size() >= 2, "blocks: " + blocks);
      assertEquals(0, blocks.get(0).minTime());
      assertEquals(2 * HOUR, blocks.get(0).maxTime());
      assertEquals(before, dump(db, Long.MIN_VALUE, Long.MAX_VALUE));
      TsdbStats stats = db.stats();
      assertTrue(stats.headMinTime() >= 4 * HOUR, "head was truncated: " + stats);
      assertTrue(stats.overheadBytesPerSeries() < 1024, "per-series overhead " + stats.overheadBytesPerSeries());
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      List<String> after = dump(db, Long.MIN_VALUE, Long.MAX_VALUE);
      assertEquals(10 * 7 * 240, after.size(), "nothing lost or duplicated across restart");
      assertEquals(after, dump(db, Long.MIN_VALUE, Long.MAX_VALUE));
      // Samples already in blocks are refused.
      assertThrows(IllegalArgumentException.class,
          () -> db.appender().append(Labels.of("__name__", "m", "s", "0"), HOUR, 1));
    }
  }

  @Test
  void blocksAreMergedByLevel() throws IOException {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      fill(db, 3, 0, 15 * HOUR);
      List<String> all = dump(db, Long.MIN_VALUE, Long.MAX_VALUE);
      db.compact();
      List<BlockMeta> blocks = db.blocks();
      // [0,2) [2,4) [4,6) fill a 6 h window and merge; [6,8) [8,10) wait, as in Prometheus,
      // because the newest block [10,12) still falls in their window.
      assertEquals(List.of(2, 1, 1, 1), blocks.stream().map(b -> b.compaction().level()).toList(), blocks.toString());
      assertEquals(List.of(0L, 6 * HOUR, 8 * HOUR, 10 * HOUR), blocks.stream().map(BlockMeta::minTime).toList());
      assertEquals(all, dump(db, Long.MIN_VALUE, Long.MAX_VALUE));
    }
  }

  @Test
  void aMaxBlockRangeEqualToTheBlockRangeKeepsTheCutBlocksApart() throws IOException {
    TsdbOptions opts = TsdbOptions.builder().maxBlockRange(Duration.ofHours(2)).build();
    try (Tsdb db = Tsdb.open(dir, opts)) {
      fill(db, 3, 0, 15 * HOUR);
      List<String> all = dump(db, Long.MIN_VALUE, Long.MAX_VALUE);
      db.compact();
      // The same head as above: six 2 h blocks cut, none merged, for a shipper to upload each once.
      List<BlockMeta> blocks = db.blocks();
      assertEquals(List.of(1, 1, 1, 1, 1, 1), blocks.stream().map(b -> b.compaction().level()).toList(), blocks.toString());
      assertEquals(all, dump(db, Long.MIN_VALUE, Long.MAX_VALUE));
    }
    assertEquals(Duration.ofHours(36), TsdbOptions.defaults().maxBlockRange(), "a tenth of 15 d");
    assertThrows(IllegalArgumentException.class,
        () -> TsdbOptions.builder().maxBlockRange(Duration.ofHours(1)).build());
  }

  @Test
  void blocksPastRetentionAreDeleted() throws IOException {
    TsdbOptions opts = TsdbOptions.builder().retentionTime(Duration.ofHours(5)).build();
    try (Tsdb db = Tsdb.open(dir, opts)) {
      fill(db, 3, 0, 15 * HOUR);
      db.compact();
      List<BlockMeta> blocks = db.blocks();
      long newestEnd = blocks.get(blocks.size() - 1).maxTime();
      assertTrue(blocks.stream().allMatch(b -> newestEnd - b.maxTime() <= 5 * HOUR), "retention: " + blocks);
      assertTrue(blocks.get(0).minTime() >= 6 * HOUR, "old blocks are gone: " + blocks);
      assertEquals(3 * 240 * (15 - blocks.get(0).minTime() / HOUR),
          dump(db, Long.MIN_VALUE, Long.MAX_VALUE).size());
      try (var stream = java.nio.file.Files.list(dir)) {
        assertEquals(blocks.size(), stream.filter(p -> p.getFileName().toString().length() == 26).count(),
            "deleted block directories are gone from disk");
      }
    }
  }

  @Test
  void deletedSamplesDisappearFromQueriesAndCompaction() throws IOException {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      fill(db, 4, 0, 5 * HOUR);
      db.compact(); // one block [0, 2h), head from 2h
      db.delete(HOUR, 3 * HOUR, LabelMatcher.equal("s", "1"));
      List<String> s1 = dump(db, Long.MIN_VALUE, Long.MAX_VALUE, LabelMatcher.equal("s", "1"));
      assertEquals(5 * 240 - 2 * 240 - 1, s1.size());
      assertTrue(s1.stream().noneMatch(l -> {
        long t = Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
        return t >= HOUR && t <= 3 * HOUR;
      }));
      assertEquals(5 * 240, dump(db, Long.MIN_VALUE, Long.MAX_VALUE, LabelMatcher.equal("s", "2")).size());
    }
    // Head tombstones survive a restart (they are in the WAL), block tombstones are in the block.
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertEquals(5 * 240 - 2 * 240 - 1, dump(db, Long.MIN_VALUE, Long.MAX_VALUE, LabelMatcher.equal("s", "1")).size());
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() throws IOException {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      IOException e = assertThrows(IOException.class, () -> Tsdb.open(dir, TsdbOptions.defaults()));
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }
  }

  @Test
  @Interop
  void promtoolReadsTheDataDirectory() throws Exception {
    List<String> expected;
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      fill(db, 5, 0, 5 * HOUR);
      db.compact();
      expected = dump(db, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    Promtool.Result r = Promtool.run(dir, "tsdb", "dump", dir.toString()).assertSuccess();
    assertEquals(expected, List.of(r.stdout().strip().split("\n")));
  }
}
