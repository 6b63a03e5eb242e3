package dev.strata.downsample;

import static dev.strata.downsample.AggrBlockContents.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.AggrBlockContents.Sample;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownsampledBlockReaderTest {
  static final Labels SERIES = RawDownsampleGoldenTest.SERIES;

  @TempDir Path dir;

  private BlockMeta fiveMinutes(BlockMeta raw) throws IOException {
    try (Block block = Block.open(BlockDirectories.path(dir, raw.ulid()))) {
      return Downsampler.downsample(block, Resolutions.FIVE_MINUTES, dir);
    }
  }

  private List<Sample> query(BlockMeta meta, Aggregation aggregation, long mint, long maxt)
      throws IOException {
    List<Sample> out = new ArrayList<>();
    try (Block block = Block.open(BlockDirectories.path(dir, meta.ulid()));
        MergeQuerier q =
            new MergeQuerier(List.of(DownsampledBlockReader.open(block, aggregation)), mint, maxt)) {
      SeriesSet set = q.select(LabelMatcher.equal("job", "a"));
      while (set.next()) {
        assertEquals(SERIES, set.at().labels());
        SampleIterator it = set.at().samples();
        while (it.next()) {
          out.add(s(it.t(), it.v()));
        }
      }
    }
    return out;
  }

  private BlockMeta regular() throws IOException {
    long[] t = {0, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000};
    double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    return fiveMinutes(new RawBlockBuilder().chunk(SERIES, t, v).write(dir, 0, 600_000));
  }

  @Test
  void eachAggregationReadsAsPlainSamples() throws IOException {
    BlockMeta five = regular();
    long all = Long.MAX_VALUE;
    assertEquals(List.of(s(299_999, 5), s(540_000, 5)), query(five, Aggregation.COUNT, 0, all));
    assertEquals(List.of(s(299_999, 15), s(540_000, 40)), query(five, Aggregation.SUM, 0, all));
    assertEquals(List.of(s(299_999, 1), s(540_000, 6)), query(five, Aggregation.MIN, 0, all));
    assertEquals(List.of(s(299_999, 5), s(540_000, 10)), query(five, Aggregation.MAX, 0, all));
    assertEquals(List.of(s(299_999, 3), s(540_000, 8)), query(five, Aggregation.AVERAGE, 0, all));
    // The counter starts with the raw first sample; the repeated last sample only carries the
    // last raw value and is not emitted.
    assertEquals(List.of(s(0, 1), s(299_999, 5), s(540_000, 10)),
        query(five, Aggregation.COUNTER, 0, all));
    // Range limits apply to the aggregated samples.
    assertEquals(List.of(s(540_000, 40)), query(five, Aggregation.SUM, 300_000, all));
    assertEquals(List.of(s(299_999, 5)), query(five, Aggregation.COUNTER, 1, 300_000));
  }

  @Test
  void counterBridgesChunksAcrossAResetAsThanosReadsIt() throws IOException {
    long[] t = RawDownsampleGoldenTest.fortyHoursTimes();
    double[] v = new double[t.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 2420 ? i : i - 2420; // reset where the second 5m chunk begins
    }
    BlockMeta five = fiveMinutes(new RawBlockBuilder().samples(SERIES, t, v, 120).write(dir, 0, 144_000_000));
    List<Sample> counter = query(five, Aggregation.COUNTER, Long.MIN_VALUE, Long.MAX_VALUE);
    // Chunk 1: raw first (0, 0), 121 windows; chunk 2 opens with its raw first value 0 at
    // 36300000, a reset that adds 0, and so on: 4 raw firsts + 480 windows.
    assertEquals(484, counter.size());
    assertEquals(s(0, 0), counter.get(0));
    assertEquals(s(36_285_000, 2419), counter.get(121));
    assertEquals(s(36_300_000, 2419), counter.get(122));
    assertEquals(s(36_599_999, 2419 + 19), counter.get(123));
    assertEquals(s(143_985_000, 2419 + 9599 - 2420), counter.get(483));
    for (int i = 1; i < counter.size(); i++) {
      assertTrue(counter.get(i).t() > counter.get(i - 1).t());
      assertTrue(counter.get(i).v() >= counter.get(i - 1).v());
    }
  }

  @Test
  void xorChunksInADownsampledBlockPassThrough() throws IOException {
    BlockMeta mixed =
        new RawBlockBuilder()
            .chunk(SERIES, new long[] {10, 20}, new double[] {5, 3})
            .thanos(new ThanosMeta(Map.of(), Resolutions.FIVE_MINUTES, ThanosMeta.SOURCE_COMPACTOR))
            .write(dir, 0, 600_000);
    assertEquals(List.of(s(10, 5), s(20, 3)), query(mixed, Aggregation.MIN, 0, Long.MAX_VALUE));
    assertEquals(List.of(s(10, 5), s(20, 3)), query(mixed, Aggregation.AVERAGE, 0, Long.MAX_VALUE));
    // The counter reads raw chunks through the reset logic too: 3 < 5 is a reset.
    assertEquals(List.of(s(10, 5), s(20, 8)), query(mixed, Aggregation.COUNTER, 0, Long.MAX_VALUE));
  }

  @Test
  void damagedAggregateChunkNamesTheBlockSeriesAndChunk() throws IOException {
    BlockMeta five = regular();
    Path segment = BlockDirectories.path(dir, five.ulid()).resolve("chunks/000001");
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      // Header (8 bytes), then the chunk's length varint, its encoding byte 0xff, then the
      // count aggregate's length: make it claim more bytes than the chunk has.
      f.seek(8);
      int lengthBytes = (f.read() & 0x80) != 0 ? 2 : 1;
      f.seek(8 + lengthBytes + 1);
      f.write(0x7f);
    }
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> query(five, Aggregation.SUM, 0, Long.MAX_VALUE));
    assertEquals(AggrChunkDecoder.SECTION, e.section());
    assertTrue(e.source().contains(five.ulid().toString()), e.source());
    assertTrue(e.source().contains("chunk 0"), e.source());
    assertTrue(e.getMessage().contains("count aggregate"), e.getMessage());
  }

  @Test
  void readerForPicksThePlainReaderForRawBlocks() throws IOException {
    BlockMeta raw =
        new RawBlockBuilder().chunk(SERIES, new long[] {1, 2}, new double[] {4, 6}).write(dir, 0, 600_000);
    BlockMeta five = fiveMinutes(raw);
    try (Block rawBlock = Block.open(BlockDirectories.path(dir, raw.ulid()));
        Block fiveBlock = Block.open(BlockDirectories.path(dir, five.ulid()));
        var plain = DownsampledBlockReader.readerFor(rawBlock, Aggregation.SUM);
        var aggregated = DownsampledBlockReader.readerFor(fiveBlock, Aggregation.SUM)) {
      assertFalse(plain instanceof DownsampledBlockReader);
      assertTrue(aggregated instanceof DownsampledBlockReader);
      var c = aggregated.select(0, Long.MAX_VALUE);
      assertTrue(c.next());
      dev.strata.tsdb.chunkenc.XorChunkIterator it = new dev.strata.tsdb.chunkenc.XorChunkIterator();
      c.decode(0, it);
      assertTrue(it.next());
      assertEquals(10.0, it.atV());
      assertEquals(2, it.atT());
    }
  }

  @Test
  void labelsAndRangeComeFromTheBlock() throws IOException {
    BlockMeta five = regular();
    try (Block block = Block.open(BlockDirectories.path(dir, five.ulid()));
        DownsampledBlockReader r = DownsampledBlockReader.open(block, Aggregation.MAX)) {
      assertEquals(0, r.minTime());
      assertEquals(600_000, r.maxTime());
      assertEquals(List.of("__name__", "job"), r.labelNames());
      assertEquals(List.of("a"), r.labelValues("job"));
      assertEquals(Aggregation.MAX, r.aggregation());
      assertFalse(r.select(0, 1, LabelMatcher.equal("job", "b")).next());
    }
  }
}
