package dev.strata.downsample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.AggrBlockContents.Chunk;
import dev.strata.downsample.AggrBlockContents.Sample;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.TempDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of downsampling over arbitrary raw series, checked against the raw samples
 * themselves rather than against another implementation of Thanos's rules.
 *
 * <p>Sums: for raw to 5m each window's sum adds the window's values in time order, exactly as the
 * oracle does, so they are compared bit for bit. Any other grouping (5m to 1h adds the 5m sums;
 * counter totals add deltas chunk by chunk) changes the rounding: a sum of {@code n} terms computed
 * in any order is within {@code (n - 1) u Σ|x_i|} of the exact sum ({@code u = 2^-53}, the
 * standard bound for recursive summation), so two such sums differ by at most {@code 2 n u
 * Σ|x_i|}; that is the tolerance used, computed per window.
 */
class DownsamplePropertiesTest {
  static final Labels SERIES = Labels.of("__name__", "prop", "kind", "x");
  static final double U = Math.ulp(1.0) / 2;
  static final long STALE_BITS = 0x7ff0_0000_0000_0002L;

  /** A raw series: strictly increasing non-negative times, values with NaN and stale markers. */
  record Raw(long[] t, double[] v, int chunkSize) {
    @Override
    public String toString() {
      return t.length + " samples from " + t[0] + " to " + t[t.length - 1] + ", chunks of "
          + chunkSize;
    }
  }

  @Provide
  Arbitrary<Raw> series() {
    return Arbitraries.randomValue(DownsamplePropertiesTest::generate)
        .withoutEdgeCases();
  }

  static Raw generate(Random rnd) {
    int n = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(40) : rnd.nextInt(4000));
    long[] steps = {1, 15_000, 30_000, 60_000, 300_000, 600_000};
    long step = steps[rnd.nextInt(steps.length)];
    boolean counter = rnd.nextBoolean();
    int gauge = rnd.nextInt(3);
    long[] t = new long[n];
    double[] v = new double[n];
    long time = rnd.nextInt(3) == 0 ? rnd.nextInt(1000) : (long) rnd.nextInt(10 * 86_400) * 1000;
    double value = counter ? rnd.nextInt(1000) : 0;
    for (int i = 0; i < n; i++) {
      t[i] = time;
      if (counter) {
        value = rnd.nextInt(50) == 0 ? rnd.nextInt(100) : value + rnd.nextInt(1000) / 8.0;
        v[i] = value;
      } else {
        v[i] = switch (gauge) {
          case 0 -> rnd.nextGaussian() * 1e6;
          case 1 -> rnd.nextInt(2001) - 1000;
          default -> rnd.nextDouble() * 1e3;
        };
      }
      int r = rnd.nextInt(100);
      if (r < 2) {
        v[i] = Double.NaN;
      } else if (r < 4) {
        v[i] = Double.longBitsToDouble(STALE_BITS);
      }
      long gap = rnd.nextInt(200) == 0 ? rnd.nextInt(20) * 3_600_000L : 0;
      time += Math.max(1, step + (step > 1 ? rnd.nextInt((int) step / 5 + 1) - step / 10 : 0)) + gap;
    }
    return new Raw(t, v, 1 + rnd.nextInt(240));
  }

  /** Per-window statistics of the raw samples, in the oracle's own terms. */
  static final class Stats {
    long count;
    double sum;
    double abs;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
  }

  static TreeMap<Long, Stats> rawWindows(Raw raw, long resolution) {
    TreeMap<Long, Stats> out = new TreeMap<>();
    for (int i = 0; i < raw.t.length; i++) {
      if (Double.isNaN(raw.v[i])) {
        continue;
      }
      Stats s = out.computeIfAbsent(Windows.windowEnd(raw.t[i], resolution), k -> new Stats());
      s.count++;
      s.sum += raw.v[i];
      s.abs += Math.abs(raw.v[i]);
      s.min = Math.min(s.min, raw.v[i]);
      s.max = Math.max(s.max, raw.v[i]);
    }
    return out;
  }

  /**
   * Whether the series can be a counter: no negative value. (The counter aggregate assumes it; with
   * negative values the running counter can drop and reading it back takes the drop for a reset.)
   */
  static boolean nonNegative(Raw raw) {
    for (double x : raw.v) {
      if (x < 0) {
        return false;
      }
    }
    return true;
  }

  /** Increase with resets (a drop means the counter restarted from 0) and the terms' magnitude. */
  static double[] rawIncrease(Raw raw) {
    double increase = 0;
    double magnitude = 0;
    double prev = Double.NaN;
    for (double x : raw.v) {
      if (Double.isNaN(x)) {
        continue;
      }
      if (!Double.isNaN(prev)) {
        increase += x >= prev ? x - prev : x;
      }
      magnitude += Math.abs(x);
      prev = x;
    }
    return new double[] {increase, magnitude};
  }

  private static List<Chunk> downsample(Path dir, BlockMeta input, long resolution, BlockMeta[] out)
      throws IOException {
    try (Block block = Block.open(BlockDirectories.path(dir, input.ulid()))) {
      out[0] = Downsampler.downsample(block, resolution, dir);
    }
    Map<Labels, List<Chunk>> contents = AggrBlockContents.read(BlockDirectories.path(dir, out[0].ulid()));
    return contents.getOrDefault(SERIES, List.of());
  }

  /** The output's windows: every aggregate's samples grouped by the window their stamp is in. */
  static TreeMap<Long, Stats> outputWindows(List<Chunk> chunks, long resolution) {
    TreeMap<Long, Stats> out = new TreeMap<>();
    for (Chunk c : chunks) {
      for (Sample s : c.get(AggrType.COUNT)) {
        out.computeIfAbsent(Windows.windowEnd(s.t(), resolution), k -> new Stats()).count += (long) s.v();
      }
      for (Sample s : c.get(AggrType.SUM)) {
        out.get(Windows.windowEnd(s.t(), resolution)).sum += s.v();
      }
      for (Sample s : c.get(AggrType.MIN)) {
        Stats st = out.get(Windows.windowEnd(s.t(), resolution));
        st.min = Math.min(st.min, s.v());
      }
      for (Sample s : c.get(AggrType.MAX)) {
        Stats st = out.get(Windows.windowEnd(s.t(), resolution));
        st.max = Math.max(st.max, s.v());
      }
    }
    return out;
  }

  static void assertWindows(TreeMap<Long, Stats> expected, TreeMap<Long, Stats> actual, boolean exactSums) {
    assertEquals(expected.keySet(), actual.keySet(), "windows");
    for (Map.Entry<Long, Stats> e : expected.entrySet()) {
      Stats x = e.getValue();
      Stats y = actual.get(e.getKey());
      String w = "window ending " + e.getKey();
      assertEquals(x.count, y.count, w + " count");
      assertEquals(x.min, y.min, w + " min");
      assertEquals(x.max, y.max, w + " max");
      if (exactSums) {
        assertEquals(x.sum, y.sum, w + " sum");
      } else {
        assertEquals(x.sum, y.sum, 2 * x.count * U * x.abs, w + " sum");
      }
    }
  }

  /** Increase read back through the counter aggregate with resets applied across chunks. */
  static double counterIncrease(List<Chunk> chunks) {
    CounterResets r = new CounterResets();
    double first = Double.NaN;
    for (Chunk c : chunks) {
      for (Sample s : c.get(AggrType.COUNTER)) {
        if (r.add(s.t(), s.v()) && Double.isNaN(first)) {
          first = r.total();
        }
      }
    }
    return r.total() - first;
  }

  /** The same through the query path: a merge querier over the block read as COUNTER. */
  static double queriedIncrease(Path dir, BlockMeta meta) throws IOException {
    try (Block block = Block.open(BlockDirectories.path(dir, meta.ulid()));
        MergeQuerier q = new MergeQuerier(
            List.of(DownsampledBlockReader.open(block, Aggregation.COUNTER)),
            Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "prop"));
      assertTrue(set.next());
      SampleIterator it = set.at().samples();
      assertTrue(it.next());
      double first = it.v();
      double last = first;
      long t = it.t();
      while (it.next()) {
        assertTrue(it.t() > t, "strictly increasing times");
        assertTrue(it.v() >= last, "monotonic counter");
        t = it.t();
        last = it.v();
      }
      return last - first;
    }
  }

  @Property(tries = 100)
  void rawToFiveMinutesKeepsEveryWindowsStatistics(@ForAll("series") Raw raw) throws IOException {
    try (TempDirectory tmp = TempDirectory.create("downsample-prop")) {
      Path dir = tmp.path();
      BlockMeta in = new RawBlockBuilder().samples(SERIES, raw.t, raw.v, raw.chunkSize).write(dir, 0, raw.t[raw.t.length - 1] + 1);
      BlockMeta[] out = new BlockMeta[1];
      List<Chunk> five = downsample(dir, in, Resolutions.FIVE_MINUTES, out);
      TreeMap<Long, Stats> expected = rawWindows(raw, Resolutions.FIVE_MINUTES);
      // Each window yields exactly one sample (a window is never split between raw batches), so
      // the sums are the oracle's own additions, bit for bit.
      assertWindows(expected, outputWindows(five, Resolutions.FIVE_MINUTES), true);
      long windows = five.stream().mapToLong(c -> c.get(AggrType.COUNT).size()).sum();
      assertEquals(expected.size(), windows);
      assertEquals(windows, out[0].stats().numSamples());
      long total = expected.values().stream().mapToLong(s -> s.count).sum();
      assertEquals(total, outputWindows(five, Resolutions.FIVE_MINUTES).values().stream().mapToLong(s -> s.count).sum());
      for (Chunk c : five) {
        assertEquals(c.minTime(), c.get(AggrType.COUNT).get(0).t());
        assertEquals(c.maxTime(), c.get(AggrType.COUNT).get(c.get(AggrType.COUNT).size() - 1).t());
      }
      if (total > 0 && nonNegative(raw)) {
        double[] inc = rawIncrease(raw);
        double tolerance = 4 * raw.t.length * U * (inc[0] + inc[1]);
        assertEquals(inc[0], counterIncrease(five), tolerance, "increase from the counter aggregate");
        assertEquals(inc[0], queriedIncrease(dir, out[0]), tolerance, "increase through the querier");
      }
    }
  }

  @Property(tries = 60)
  void fiveMinutesToOneHourMatchesTheRawSamplesPerHour(@ForAll("series") Raw raw) throws IOException {
    try (TempDirectory tmp = TempDirectory.create("downsample-prop")) {
      Path dir = tmp.path();
      BlockMeta in = new RawBlockBuilder().samples(SERIES, raw.t, raw.v, raw.chunkSize).write(dir, 0, raw.t[raw.t.length - 1] + 1);
      BlockMeta[] five = new BlockMeta[1];
      downsample(dir, in, Resolutions.FIVE_MINUTES, five);
      BlockMeta[] hour = new BlockMeta[1];
      List<Chunk> viaFive = downsample(dir, five[0], Resolutions.ONE_HOUR, hour);
      BlockMeta[] direct = new BlockMeta[1];
      List<Chunk> fromRaw = downsample(dir, in, Resolutions.ONE_HOUR, direct);

      TreeMap<Long, Stats> expected = rawWindows(raw, Resolutions.ONE_HOUR);
      assertWindows(expected, outputWindows(viaFive, Resolutions.ONE_HOUR), false);
      assertWindows(expected, outputWindows(fromRaw, Resolutions.ONE_HOUR), true);
      long total = expected.values().stream().mapToLong(s -> s.count).sum();
      if (total > 0 && nonNegative(raw)) {
        double[] inc = rawIncrease(raw);
        double tolerance = 4 * raw.t.length * U * (inc[0] + inc[1]);
        assertEquals(inc[0], counterIncrease(viaFive), tolerance, "5m to 1h increase");
        assertEquals(inc[0], counterIncrease(fromRaw), tolerance, "raw to 1h increase");
        assertEquals(inc[0], queriedIncrease(dir, hour[0]), tolerance, "queried 1h increase");
      }
    }
  }
}
