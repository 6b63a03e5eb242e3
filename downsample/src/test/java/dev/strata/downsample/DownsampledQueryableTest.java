package dev.strata.downsample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.promql.Engine;
import dev.strata.promql.Vector;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.testing.TempDirectory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PromQL over a directory where raw data covers only the second day and a 5m downsample the whole
 * two: raw answers where raw exists, the aggregate a function needs elsewhere.
 */
class DownsampledQueryableTest {
  private static final long HOUR = 3_600_000;
  private static final long STEP = 15_000;
  private static TempDirectory tmp;
  private static final List<Block> blocks = new ArrayList<>();
  private static DownsampledQueryable queryable;
  private static final Engine ENGINE = new Engine();

  @BeforeAll
  static void build() throws Exception {
    tmp = TempDirectory.create("downsampled-queries");
    // c counts one per scrape; g is the time in seconds.
    RawBlockBuilder whole = new RawBlockBuilder();
    RawBlockBuilder secondDay = new RawBlockBuilder();
    series(whole, 0, 48 * HOUR);
    series(secondDay, 24 * HOUR, 48 * HOUR);
    BlockMeta raw = whole.write(tmp.path().resolve("raw"), 0, 48 * HOUR);
    try (Block b = Block.open(tmp.path().resolve("raw").resolve(raw.ulid().toString()))) {
      Downsampler.downsample(b, Resolutions.FIVE_MINUTES, tmp.path().resolve("data"));
    }
    secondDay.write(tmp.path().resolve("data"), 24 * HOUR, 48 * HOUR);
    for (BlockDirectories.BlockDirectory d : BlockDirectories.list(tmp.path().resolve("data"))) {
      blocks.add(Block.open(d.path()));
    }
    queryable = new DownsampledQueryable(blocks, ResolutionChoice.finestFirst(), (a, b) -> List.of());
  }

  private static void series(RawBlockBuilder builder, long from, long to) {
    int n = (int) ((to - from) / STEP);
    long[] t = new long[n];
    double[] c = new double[n];
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = from + i * STEP;
      c[i] = t[i] / STEP;
      g[i] = t[i] / 1000.0;
    }
    builder.samples(Labels.of("__name__", "c"), t, c, 120).samples(Labels.of("__name__", "g"), t, g, 120);
  }

  @AfterAll
  static void close() throws Exception {
    blocks.forEach(Block::close);
    tmp.close();
  }

  private static double instant(String query, long t) {
    Vector v = (Vector) ENGINE.instantQuery(queryable, query, t).value();
    assertEquals(1, v.size(), query);
    return v.samples().get(0).value();
  }

  @Test
  void rawDataAnswersWhereItExists() {
    long t = 36 * HOUR;
    assertEquals(t / 1000.0, instant("g", t));
    assertEquals(1.0 / 15, instant("rate(c[1h])", t), 1e-12);
  }

  @Test
  void theDownsampledBlockAnswersElsewhereWithTheAggregateTheFunctionNeeds() {
    long t = 12 * HOUR;
    assertEquals(1.0 / 15, instant("rate(c[1h])", t), 1e-3, "the counter aggregate");
    double max = instant("max_over_time(g[1h])", t);
    assertTrue(max >= t / 1000.0 - 15 && max <= t / 1000.0, "the max aggregate: " + max);
    double min = instant("min_over_time(g[1h])", t);
    assertTrue(min >= (t - HOUR) / 1000.0 - 300 && min <= (t - HOUR) / 1000.0 + 15, "the min aggregate: " + min);
    // A bare selector reads window averages: not the raw value at t.
    assertNotEquals(t / 1000.0, instant("g", t));
  }
}
