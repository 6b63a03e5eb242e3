package dev.strata.tsdb.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.textparse.GoFloatFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadToBlockTest {
  static final long HOUR = 3_600_000L;

  @TempDir Path dataDir;

  /** Every sample in [mint, maxt] as promtool dump prints it. */
  static List<String> dump(List<BlockReader> readers, long mint, long maxt) {
    List<String> lines = new ArrayList<>();
    try (MergeQuerier q = new MergeQuerier(readers, mint, maxt)) {
      SeriesSet set = q.select(LabelMatcher.regex("__name__", ".+"));
      while (set.next()) {
        Labels l = set.at().labels();
        SampleIterator it = set.at().samples();
        while (it.next()) {
          lines.add(l + " " + GoFloatFormat.format(it.v()) + " " + it.t());
        }
      }
    }
    return lines;
  }

  /** Hex of every chunk's bytes, series by series. */
  static List<String> chunkBytes(List<BlockReader> readers, long mint, long maxt) {
    List<String> out = new ArrayList<>();
    try (MergeQuerier q = new MergeQuerier(readers, mint, maxt)) {
      SeriesSet set = q.select(LabelMatcher.regex("__name__", ".+"));
      while (set.next()) {
        var chunks = set.at().chunks();
        while (chunks.next()) {
          out.add(set.at().labels() + " " + java.util.HexFormat.of().formatHex(chunks.bytes()));
        }
      }
    }
    return out;
  }

  private static Head filledHead() {
    Head head = Head.inMemory(new HeadOptions(2 * HOUR, true, 1 << 20, false, false));
    Random rnd = new Random(5);
    Appender app = head.appender();
    for (long t = 0; t < 3 * HOUR; t += 15_000) {
      for (int s = 0; s < 30; s++) {
        if (s % 7 == 3 && t > HOUR) {
          continue; // some series stop early
        }
        double v = s % 3 == 0 ? rnd.nextGaussian() : (s % 3 == 1 ? t / 1000.0 : Math.floor(rnd.nextDouble() * 100));
        app.append(Labels.of("__name__", "m" + (s % 4), "instance", "host-" + s, "zone", s % 2 == 0 ? "a" : "b"), t + rnd.nextInt(3), v);
      }
      app.commit();
    }
    return head;
  }

  @Test
  void aBlockCutFromTheHeadHoldsExactlyItsRange() throws Exception {
    try (Head head = filledHead()) {
      BlockMeta meta = BlockMeta.newBlock(UlidGenerator.system().next(), 0, 2 * HOUR, BlockStats.EMPTY);
      Optional<BlockMeta> written;
      try (HeadReader r = head.reader(0, 2 * HOUR - 1)) {
        written = BlockWriter.write(dataDir, meta, List.of(r));
      }
      assertTrue(written.isPresent());
      assertEquals(30, written.get().stats().numSeries());
      List<String> fromHead;
      try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
        fromHead = dump(List.of(r), 0, 2 * HOUR - 1);
      }
      try (Block block = Block.open(dataDir.resolve(meta.ulid().toString()))) {
        assertEquals(fromHead, dump(List.of(block.reader()), 0, 2 * HOUR - 1));
        assertEquals(fromHead.size(), block.meta().stats().numSamples());
        // Chunks are copied as the head cut them.
        assertEquals(chunkBytes(List.of(head.reader(0, 2 * HOUR - 1)), 0, 2 * HOUR - 1),
            chunkBytes(List.of(block.reader()), 0, 2 * HOUR - 1));
      }
      // Head and block together, overlapping: merged without duplicates.
      try (Block block = Block.open(dataDir.resolve(meta.ulid().toString()));
          HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
        List<String> all;
        try (HeadReader r2 = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
          all = dump(List.of(r2), Long.MIN_VALUE, Long.MAX_VALUE);
        }
        assertEquals(all, dump(List.of(block.reader(), r), Long.MIN_VALUE, Long.MAX_VALUE));
      }
    }
  }

  @Test
  @Interop
  void promtoolDumpsWhatWeWrote() throws Exception {
    try (Head head = filledHead()) {
      BlockMeta meta = BlockMeta.newBlock(UlidGenerator.system().next(), 0, 2 * HOUR, BlockStats.EMPTY);
      try (HeadReader r = head.reader(0, 2 * HOUR - 1)) {
        BlockWriter.write(dataDir, meta, List.of(r));
      }
      List<String> expected;
      try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
        expected = dump(List.of(r), 0, 2 * HOUR - 1);
      }
      Files.createDirectories(dataDir.resolve("wal"));
      Promtool.Result dump = Promtool.run(dataDir, "tsdb", "dump", dataDir.toString()).assertSuccess();
      assertEquals(expected, List.of(dump.stdout().strip().split("\n")));
      Promtool.run(dataDir, "tsdb", "analyze", dataDir.toString()).assertSuccess();
    }
  }
}
