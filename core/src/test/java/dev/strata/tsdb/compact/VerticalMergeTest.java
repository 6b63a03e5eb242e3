package dev.strata.tsdb.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.dedup.DedupSeriesSet;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.ArraySamples;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vertical compaction of two HA replicas' blocks of the same two hours: replica a scrapes every
 * 15 s from 0 s with a ten-minute gap, replica b every 15 s from 7 s. One-to-one keeps both
 * replicas' scrapes (twice the rate where both have data); penalty keeps one replica at a time, as
 * the querier's deduplication does.
 */
class VerticalMergeTest {
  private static final long HOUR = 3_600_000L;
  private static final long STEP = 15_000;
  private static final Labels SERIES = Labels.of("__name__", "up", "job", "node");

  @TempDir Path dir;

  private static TreeMap<Long, Double> replica(long offset, boolean gap) {
    TreeMap<Long, Double> samples = new TreeMap<>();
    for (long t = offset; t < 2 * HOUR; t += STEP) {
      if (!gap || t < 20 * 60_000 || t >= 30 * 60_000) {
        samples.put(t, (double) t / 1000);
      }
    }
    return samples;
  }

  private BlockMeta block(TreeMap<Long, Double> samples) throws Exception {
    try (Head head = Head.inMemory(new HeadOptions(2 * HOUR, true, 1 << 20, false, false))) {
      Appender app = head.appender();
      samples.forEach((t, v) -> app.append(SERIES, t, v));
      app.commit();
      try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
        return BlockWriter.write(dir, BlockMeta.newBlock(UlidGenerator.system().next(), 0,
            2 * HOUR, BlockStats.EMPTY), List.of(r)).orElseThrow();
      }
    }
  }

  private TreeMap<Long, Double> compact(List<BlockMeta> parents, VerticalMerge merge)
      throws Exception {
    List<Block> blocks = new ArrayList<>();
    List<BlockReader> readers = new ArrayList<>();
    for (BlockMeta m : parents) {
      Block b = Block.open(dir.resolve(m.ulid().toString()));
      blocks.add(b);
      readers.add(b.reader());
    }
    BlockMeta merged;
    try {
      merged = BlockWriter.write(dir, BlockMeta.compacted(UlidGenerator.system().next(), parents),
          readers, merge).orElseThrow();
    } finally {
      readers.forEach(BlockReader::close);
      blocks.forEach(Block::close);
    }
    try (Block b = Block.open(dir.resolve(merged.ulid().toString()));
        MergeQuerier q = new MergeQuerier(List.of(b.reader()), 0, 2 * HOUR)) {
      TreeMap<Long, Double> out = new TreeMap<>();
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "up"));
      while (set.next()) {
        SampleIterator it = set.at().samples();
        while (it.next()) {
          out.put(it.t(), it.v());
        }
      }
      assertEquals(out.size(), merged.stats().numSamples());
      return out;
    }
  }

  private static ArraySamples samples(TreeMap<Long, Double> samples) {
    long[] ts = new long[samples.size()];
    double[] vs = new double[samples.size()];
    int i = 0;
    for (var e : samples.entrySet()) {
      ts[i] = e.getKey();
      vs[i++] = e.getValue();
    }
    return new ArraySamples(ts, vs, i);
  }

  @Test
  void penaltyKeepsOneReplicaAtATimeWhereOneToOneKeepsBoth() throws Exception {
    TreeMap<Long, Double> a = replica(0, true);
    TreeMap<Long, Double> b = replica(7_000, false);
    List<BlockMeta> parents = List.of(block(a), block(b));

    TreeMap<Long, Double> both = new TreeMap<>(a);
    both.putAll(b);
    assertEquals(both, compact(parents, VerticalMerge.ONE_TO_ONE));

    TreeMap<Long, Double> expected = new TreeMap<>();
    SampleIterator model = DedupSeriesSet.deduplicate(
        List.of(samples(a), samples(b)), false);
    while (model.next()) {
      expected.put(model.t(), model.v());
    }
    TreeMap<Long, Double> penalty = compact(parents, VerticalMerge.PENALTY);
    assertEquals(expected, compact(parents, VerticalMerge.PENALTY));
    // About one scrape every 15 s, never both replicas' interleaved, a's gap filled. (At the
    // start, b's first scrape lies past the algorithm's 5 s initial penalty: it switches once.)
    long previous = expected.firstKey();
    long widest = 0;
    for (long t : expected.tailMap(expected.firstKey(), false).keySet()) {
      if (previous == expected.firstKey()) {
        previous = t;
        continue;
      }
      assertTrue(t - previous >= 8_000, "both replicas' scrapes at " + previous + " and " + t);
      widest = Math.max(widest, t - previous);
      previous = t;
    }
    assertTrue(widest <= 3 * STEP, "a gap of " + widest + " ms is left");
    assertTrue(expected.size() < both.size() * 2 / 3, expected.size() + " of " + both.size());
  }
}
