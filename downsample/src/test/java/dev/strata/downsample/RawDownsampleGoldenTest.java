package dev.strata.downsample;

import static dev.strata.downsample.AggrBlockContents.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.downsample.AggrBlockContents.Chunk;
import dev.strata.downsample.AggrBlockContents.Sample;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw to 5m with expectations worked out by hand from the rules in {@link RawDownsampler}: one
 * test per shape of input. Times are milliseconds; 5m windows end at 299999, 599999, ...
 */
class RawDownsampleGoldenTest {
  static final Labels SERIES = Labels.of("__name__", "m", "job", "a");
  static final double STALE = Double.longBitsToDouble(0x7ff0_0000_0000_0002L);

  @TempDir Path dir;

  private List<Chunk> downsample(long[] t, double[] v, long resolution) throws IOException {
    BlockMeta in = new RawBlockBuilder().chunk(SERIES, t, v).write(dir.resolve("in"), 0, 200_000_000);
    Path out = dir.resolve("out");
    BlockMeta meta;
    try (Block block = Block.open(BlockDirectories.path(dir.resolve("in"), in.ulid()))) {
      meta = Downsampler.downsample(block, resolution, out);
    }
    Map<Labels, List<Chunk>> contents = AggrBlockContents.read(BlockDirectories.path(out, meta.ulid()));
    assertEquals(List.of(SERIES), new ArrayList<>(contents.keySet()));
    return contents.get(SERIES);
  }

  private static void assertChunk(
      Chunk c, long minTime, long maxTime, List<Sample> count, List<Sample> sum, List<Sample> min,
      List<Sample> max, List<Sample> counter) {
    assertEquals(count, c.get(AggrType.COUNT), "count");
    assertEquals(sum, c.get(AggrType.SUM), "sum");
    assertEquals(min, c.get(AggrType.MIN), "min");
    assertEquals(max, c.get(AggrType.MAX), "max");
    assertEquals(counter, c.get(AggrType.COUNTER), "counter");
    assertEquals(minTime, c.minTime(), "chunk min time");
    assertEquals(maxTime, c.maxTime(), "chunk max time");
  }

  @Test
  void regularSamplesFillTwoWindowsTheLastStampedAtTheLastSample() throws IOException {
    long[] t = {0, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000};
    double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    List<Chunk> chunks = downsample(t, v, Resolutions.FIVE_MINUTES);
    assertEquals(1, chunks.size());
    assertChunk(chunks.get(0), 299_999, 540_000,
        List.of(s(299_999, 5), s(540_000, 5)),
        List.of(s(299_999, 15), s(540_000, 40)),
        List.of(s(299_999, 1), s(540_000, 6)),
        List.of(s(299_999, 5), s(540_000, 10)),
        List.of(s(0, 1), s(299_999, 5), s(540_000, 10), s(540_000, 10)));
  }

  @Test
  void gapsLeaveNoWindows() throws IOException {
    long[] t = {0, 60_000, 1_000_000, 1_060_000, 2_000_000};
    double[] v = {1, 2, 3, 4, 5};
    List<Chunk> chunks = downsample(t, v, Resolutions.FIVE_MINUTES);
    assertEquals(1, chunks.size());
    assertChunk(chunks.get(0), 299_999, 2_000_000,
        List.of(s(299_999, 2), s(1_199_999, 2), s(2_000_000, 1)),
        List.of(s(299_999, 3), s(1_199_999, 7), s(2_000_000, 5)),
        List.of(s(299_999, 1), s(1_199_999, 3), s(2_000_000, 5)),
        List.of(s(299_999, 2), s(1_199_999, 4), s(2_000_000, 5)),
        List.of(s(0, 1), s(299_999, 2), s(1_199_999, 4), s(2_000_000, 5), s(2_000_000, 5)));
  }

  @Test
  void counterResetsAddTheWholeNewValue() throws IOException {
    long[] t = {0, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000};
    double[] v = {10, 20, 5, 15, 3, 8, 2};
    List<Chunk> chunks = downsample(t, v, Resolutions.FIVE_MINUTES);
    assertEquals(1, chunks.size());
    // Counter: 10, +10 = 20, reset +5 = 25, +10 = 35, reset +3 = 38 | +5 = 43, reset +2 = 45.
    assertChunk(chunks.get(0), 299_999, 360_000,
        List.of(s(299_999, 5), s(360_000, 2)),
        List.of(s(299_999, 53), s(360_000, 10)),
        List.of(s(299_999, 3), s(360_000, 2)),
        List.of(s(299_999, 20), s(360_000, 8)),
        List.of(s(0, 10), s(299_999, 38), s(360_000, 45), s(360_000, 2)));
  }

  @Test
  void nanAndStalenessMarkersAreDropped() throws IOException {
    long[] t = {0, 60_000, 120_000, 300_000, 360_000, 420_000, 480_000};
    double[] v = {Double.NaN, 1, 3, Double.NaN, STALE, 4, Double.NaN};
    List<Chunk> chunks = downsample(t, v, Resolutions.FIVE_MINUTES);
    assertEquals(1, chunks.size());
    // The counter opens with the first non-NaN sample and the last window is clamped to the last
    // non-NaN sample (420000), not to the trailing NaN.
    assertChunk(chunks.get(0), 299_999, 420_000,
        List.of(s(299_999, 2), s(420_000, 1)),
        List.of(s(299_999, 4), s(420_000, 4)),
        List.of(s(299_999, 1), s(420_000, 4)),
        List.of(s(299_999, 3), s(420_000, 4)),
        List.of(s(60_000, 1), s(299_999, 3), s(420_000, 4), s(420_000, 4)));
  }

  @Test
  void onlyNanLeavesNoSeries() throws IOException {
    BlockMeta in =
        new RawBlockBuilder()
            .chunk(SERIES, new long[] {0, 60_000}, new double[] {Double.NaN, STALE})
            .chunk(Labels.of("__name__", "other"), new long[] {0}, new double[] {1})
            .write(dir.resolve("in"), 0, 200_000_000);
    BlockMeta meta;
    try (Block block = Block.open(BlockDirectories.path(dir.resolve("in"), in.ulid()))) {
      meta = Downsampler.downsample(block, Resolutions.FIVE_MINUTES, dir.resolve("out"));
    }
    var contents = AggrBlockContents.read(BlockDirectories.path(dir.resolve("out"), meta.ulid()));
    assertEquals(List.of(Labels.of("__name__", "other")), new ArrayList<>(contents.keySet()));
    assertEquals(1, meta.stats().numSeries());
    assertEquals(1, meta.stats().numSamples());
  }

  @Test
  void singleSampleIsItsOwnWindowAndCounterEnds() throws IOException {
    List<Chunk> chunks = downsample(new long[] {1000}, new double[] {7}, Resolutions.FIVE_MINUTES);
    assertEquals(1, chunks.size());
    assertChunk(chunks.get(0), 1000, 1000,
        List.of(s(1000, 1)), List.of(s(1000, 7)), List.of(s(1000, 7)), List.of(s(1000, 7)),
        List.of(s(1000, 7), s(1000, 7), s(1000, 7)));
  }

  @Test
  void windowWithOneSampleInTheMiddle() throws IOException {
    long[] t = {0, 60_000, 400_000, 700_000, 760_000};
    double[] v = {1, 2, 3, 4, 5};
    List<Chunk> chunks = downsample(t, v, Resolutions.FIVE_MINUTES);
    assertEquals(1, chunks.size());
    assertChunk(chunks.get(0), 299_999, 760_000,
        List.of(s(299_999, 2), s(599_999, 1), s(760_000, 2)),
        List.of(s(299_999, 3), s(599_999, 3), s(760_000, 9)),
        List.of(s(299_999, 1), s(599_999, 3), s(760_000, 4)),
        List.of(s(299_999, 2), s(599_999, 3), s(760_000, 5)),
        List.of(s(0, 1), s(299_999, 2), s(599_999, 3), s(760_000, 5), s(760_000, 5)));
  }

  @Test
  void windowOfOnlyInfinitiesKeepsThanosEmptyMinAndMax() throws IOException {
    // Thanos starts a window's min at +MaxFloat64 and max at -MaxFloat64 and compares with <, >:
    // a window holding only +Inf reports MaxFloat64 as its min, one of only -Inf reports
    // -MaxFloat64 as its max. Kept for identical output.
    long[] t = {0, 300_000};
    double[] v = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    List<Chunk> chunks = downsample(t, v, Resolutions.FIVE_MINUTES);
    assertEquals(List.of(s(299_999, Double.MAX_VALUE), s(300_000, Double.NEGATIVE_INFINITY)),
        chunks.get(0).get(AggrType.MIN));
    assertEquals(List.of(s(299_999, Double.POSITIVE_INFINITY), s(300_000, -Double.MAX_VALUE)),
        chunks.get(0).get(AggrType.MAX));
  }

  /** 40 hours at 15 s, value = sample index: 9600 samples. */
  static long[] fortyHoursTimes() {
    long[] t = new long[9600];
    for (int i = 0; i < t.length; i++) {
      t[i] = i * 15_000L;
    }
    return t;
  }

  static double[] indexValues(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }

  @Test
  void fortyHoursAreCutIntoFourChunksAlongWindows() throws IOException {
    // Sizing: (143985000 / 300000) = 479 possible windows, input denser than 1/min, so 480
    // expected samples, 480 / 141 + 1 = 4 chunks; batches of 9600 / 4 + 1 = 2401 samples, each
    // extended to the end of the window of its last sample: 2420 samples = 121 windows each,
    // and 2340 samples = 117 windows in the last. Each chunk's last window is stamped with the
    // batch's last sample, 15 s before the window end.
    long[] t = fortyHoursTimes();
    double[] v = indexValues(t.length);
    BlockMeta in = new RawBlockBuilder().samples(SERIES, t, v, 120).write(dir.resolve("in"), 0, 144_000_000);
    BlockMeta meta;
    try (Block block = Block.open(BlockDirectories.path(dir.resolve("in"), in.ulid()))) {
      meta = Downsampler.downsample(block, Resolutions.FIVE_MINUTES, dir.resolve("out"));
    }
    List<Chunk> chunks =
        AggrBlockContents.read(BlockDirectories.path(dir.resolve("out"), meta.ulid())).get(SERIES);
    assertEquals(4, chunks.size());
    assertEquals(480, meta.stats().numSamples());
    assertEquals(4, meta.stats().numChunks());
    int[] windows = {121, 121, 121, 117};
    int window = 0;
    for (int c = 0; c < 4; c++) {
      Chunk chunk = chunks.get(c);
      int firstSample = window * 20;
      List<Sample> count = new ArrayList<>();
      List<Sample> sum = new ArrayList<>();
      List<Sample> min = new ArrayList<>();
      List<Sample> max = new ArrayList<>();
      List<Sample> counter = new ArrayList<>();
      counter.add(s(firstSample * 15_000L, firstSample));
      long stamp = 0;
      for (int w = 0; w < windows[c]; w++, window++) {
        boolean last = w == windows[c] - 1;
        stamp = last ? (window * 20 + 19) * 15_000L : window * 300_000L + 299_999;
        count.add(s(stamp, 20));
        sum.add(s(stamp, 400.0 * window + 190));
        min.add(s(stamp, 20.0 * window));
        max.add(s(stamp, 20.0 * window + 19));
        counter.add(s(stamp, 20.0 * window + 19));
      }
      counter.add(s(stamp, 20.0 * window - 1));
      assertChunk(chunk, count.get(0).t(), stamp, count, sum, min, max, counter);
    }
    assertEquals(36_285_000, chunks.get(0).maxTime());
    assertEquals(36_599_999, chunks.get(1).minTime());
    assertEquals(143_985_000, chunks.get(3).maxTime());
  }
}
