package dev.strata.downsample;

import static dev.strata.downsample.AggrBlockContents.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.downsample.AggrBlockContents.Chunk;
import dev.strata.downsample.AggrBlockContents.Sample;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 5m to 1h with hand-worked expectations, on the 40-hour series of {@link RawDownsampleGoldenTest}
 * (9600 samples at 15 s, value = index), whose 5m block has four chunks of 121, 121, 121 and 117
 * windows.
 */
class AggrDownsampleGoldenTest {
  static final Labels SERIES = RawDownsampleGoldenTest.SERIES;
  static final long HOUR = 3_600_000;

  @TempDir Path dir;

  private BlockMeta downsample(Path blocks, BlockMeta input, long resolution) throws IOException {
    try (Block block = Block.open(BlockDirectories.path(blocks, input.ulid()))) {
      return Downsampler.downsample(block, resolution, blocks);
    }
  }

  private List<Chunk> contents(BlockMeta meta) throws IOException {
    Map<Labels, List<Chunk>> all = AggrBlockContents.read(BlockDirectories.path(dir, meta.ulid()));
    return all.get(SERIES);
  }

  @Test
  void fortyHoursOfFiveMinuteChunksBecomeOneChunkOfFortyHours() throws IOException {
    long[] t = RawDownsampleGoldenTest.fortyHoursTimes();
    double[] v = RawDownsampleGoldenTest.indexValues(t.length);
    BlockMeta raw = new RawBlockBuilder().samples(SERIES, t, v, 120).write(dir, 0, 144_000_000);
    BlockMeta fiveMinutes = downsample(dir, raw, Resolutions.FIVE_MINUTES);
    BlockMeta oneHour = downsample(dir, fiveMinutes, Resolutions.ONE_HOUR);

    // Sizing: range [299999, 143985000] holds 39 hours, the 480 windows fill it, so 40 expected
    // samples: one chunk, and all four input chunks form one group.
    List<Chunk> chunks = contents(oneHour);
    assertEquals(1, chunks.size());
    List<Sample> count = new ArrayList<>();
    List<Sample> sum = new ArrayList<>();
    List<Sample> min = new ArrayList<>();
    List<Sample> max = new ArrayList<>();
    List<Sample> counter = new ArrayList<>();
    counter.add(s(0, 0));
    for (int h = 0; h < 40; h++) {
      long stamp = h == 39 ? 143_985_000 : h * HOUR + HOUR - 1;
      count.add(s(stamp, 240));
      sum.add(s(stamp, 57_600.0 * h + 28_680)); // 240 values 240h .. 240h + 239
      min.add(s(stamp, 240.0 * h));
      max.add(s(stamp, 240.0 * h + 239));
      counter.add(s(stamp, 240.0 * h + 239));
    }
    counter.add(s(143_985_000, 9599));
    Chunk c = chunks.get(0);
    assertEquals(count, c.get(AggrType.COUNT));
    assertEquals(sum, c.get(AggrType.SUM));
    assertEquals(min, c.get(AggrType.MIN));
    assertEquals(max, c.get(AggrType.MAX));
    assertEquals(counter, c.get(AggrType.COUNTER));
    assertEquals(HOUR - 1, c.minTime());
    assertEquals(143_985_000, c.maxTime());
    assertEquals(40, oneHour.stats().numSamples());

    // Raw straight to 1h gives the same chunk: same windows, same stamps, and sums of integers
    // are exact either way.
    BlockMeta direct = downsample(dir, raw, Resolutions.ONE_HOUR);
    assertEquals(chunks, contents(direct));
  }

  @Test
  void counterResetAtAChunkBoundaryIsFoundFromTheRawFirstAndLastValues() throws IOException {
    // Values restart from 0 exactly where the second 5m chunk begins (sample 2420).
    long[] t = RawDownsampleGoldenTest.fortyHoursTimes();
    double[] v = new double[t.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 2420 ? i : i - 2420;
    }
    BlockMeta raw = new RawBlockBuilder().samples(SERIES, t, v, 120).write(dir, 0, 144_000_000);
    BlockMeta fiveMinutes = downsample(dir, raw, Resolutions.FIVE_MINUTES);
    List<Chunk> five = contents(fiveMinutes);
    // Within each 5m chunk the counter starts over from the chunk's first raw value.
    assertEquals(s(36_300_000, 0), five.get(1).get(AggrType.COUNTER).get(0));
    assertEquals(s(36_285_000, 2419), five.get(0).get(AggrType.COUNTER).get(122));

    Chunk c = contents(downsample(dir, fiveMinutes, Resolutions.ONE_HOUR)).get(0);
    List<Sample> counter = new ArrayList<>();
    counter.add(s(0, 0));
    for (int h = 0; h < 40; h++) {
      long stamp = h == 39 ? 143_985_000 : h * HOUR + HOUR - 1;
      // Up to sample 2419 the total is the value; the reset adds the new value 0, after which
      // the total trails the sample index by one.
      counter.add(s(stamp, h < 10 ? 240.0 * h + 239 : 240.0 * h + 238));
    }
    counter.add(s(143_985_000, 9599 - 2420));
    assertEquals(counter, c.get(AggrType.COUNTER));
    List<Sample> min = c.get(AggrType.MIN);
    assertEquals(s(11 * HOUR - 1, 0), min.get(10)); // hour 10 holds the reset
    assertEquals(s(11 * HOUR - 1, 2419), c.get(AggrType.MAX).get(10));
    double hour10 = 0;
    for (int i = 2400; i < 2640; i++) {
      hour10 += v[i];
    }
    assertEquals(hour10, c.get(AggrType.SUM).get(10).v());
  }

  @Test
  void xorChunksInAFiveMinuteBlockAreDownsampledToFiveMinutesFirst() throws IOException {
    // Thanos tolerates raw chunks in a downsampled block: each is downsampled to 5m on its own.
    // One raw chunk holding the whole series turns into the same four 5m chunks as the raw
    // block does, so the 1h result is the same.
    long[] t = RawDownsampleGoldenTest.fortyHoursTimes();
    double[] v = RawDownsampleGoldenTest.indexValues(t.length);
    BlockMeta mixed =
        new RawBlockBuilder()
            .chunk(SERIES, t, v)
            .thanos(new ThanosMeta(Map.of(), Resolutions.FIVE_MINUTES, ThanosMeta.SOURCE_COMPACTOR))
            .write(dir, 0, 144_000_000);
    BlockMeta raw = new RawBlockBuilder().samples(SERIES, t, v, 120).write(dir, 0, 144_000_000);
    BlockMeta viaFive = downsample(dir, downsample(dir, raw, Resolutions.FIVE_MINUTES), Resolutions.ONE_HOUR);
    assertEquals(contents(viaFive), contents(downsample(dir, mixed, Resolutions.ONE_HOUR)));
  }
}
