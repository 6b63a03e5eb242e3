package dev.strata.tier.testing;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Writes synthetic series into a Strata {@link Tsdb} and reads query results back as plain maps. */
public final class TestTsdb {
  public static final long HOUR = 3_600_000L;

  private TestTsdb() {}

  /** Options for tests: 2 h blocks, compaction only when asked. */
  public static TsdbOptions options() {
    return TsdbOptions.builder().blockRange(Duration.ofHours(2)).automaticCompaction(false).build();
  }

  /** The labels of series {@code i} of {@code metrics} metrics. */
  public static Labels series(int i, int metrics) {
    return Labels.of("__name__", "metric_" + (i % metrics), "instance", "host-" + (i / metrics),
        "job", i % 3 == 0 ? "api" : "db");
  }

  /**
   * Appends {@code seriesCount} series scraped every {@code stepMillis} over {@code [start, end)}
   * and cuts blocks out of the head (which keeps the last hour or so).
   *
   * @return every sample written, by series labels then timestamp
   */
  public static Map<Labels, TreeMap<Long, Double>> fill(
      Tsdb db, int seriesCount, int metrics, long start, long end, long stepMillis, long seed)
      throws IOException {
    Random random = new Random(seed);
    Map<Labels, TreeMap<Long, Double>> written = new TreeMap<>();
    long[] refs = new long[seriesCount];
    double[] values = new double[seriesCount];
    Appender app = db.appender();
    int pending = 0;
    for (long t = start; t < end; t += stepMillis) {
      for (int s = 0; s < seriesCount; s++) {
        values[s] += random.nextInt(100) < 90 ? random.nextInt(10) : random.nextDouble() * 100;
        Labels l = series(s, metrics);
        if (t == start) {
          refs[s] = app.append(l, t, values[s]);
        } else {
          refs[s] = app.append(refs[s], t, values[s]);
        }
        written.computeIfAbsent(l, k -> new TreeMap<>()).put(t, values[s]);
        if (++pending == 20_000) {
          app.commit();
          pending = 0;
        }
      }
    }
    app.commit();
    db.compact();
    return written;
  }

  /** Every sample of the series matching {@code matchers} in {@code [mint, maxt]}. */
  public static Map<Labels, TreeMap<Long, Double>> read(
      Querier q, LabelMatcher... matchers) {
    Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    List<Labels> order = new ArrayList<>();
    SeriesSet set = q.select(matchers);
    while (set.next()) {
      Series s = set.at();
      TreeMap<Long, Double> samples = new TreeMap<>();
      SampleIterator it = s.samples();
      long last = Long.MIN_VALUE;
      while (it.next()) {
        if (it.t() <= last) {
          throw new AssertionError("samples of " + s.labels() + " out of order at " + it.t());
        }
        last = it.t();
        samples.put(it.t(), it.v());
      }
      if (!order.isEmpty() && order.get(order.size() - 1).compareTo(s.labels()) >= 0) {
        throw new AssertionError("series out of order: " + s.labels());
      }
      order.add(s.labels());
      out.put(s.labels(), samples);
    }
    return out;
  }

  /** The samples of {@code all} in {@code [mint, maxt]} of series matching {@code matchers}. */
  public static Map<Labels, TreeMap<Long, Double>> expected(
      Map<Labels, TreeMap<Long, Double>> all, long mint, long maxt, LabelMatcher... matchers) {
    Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    all.forEach((l, samples) -> {
      for (LabelMatcher m : matchers) {
        if (!m.matches(l)) {
          return;
        }
      }
      TreeMap<Long, Double> in = new TreeMap<>(samples.subMap(mint, true, maxt, true));
      if (!in.isEmpty()) {
        out.put(l, in);
      }
    });
    return out;
  }

  /**
   * Fills {@code dataDir} with {@code 2 * pairs} level-1 blocks of 2 h each (pairs of adjacent
   * blocks, 8 h apart, so that no compaction merges them), as a Prometheus with local compaction
   * off (a Thanos sidecar's) leaves them.
   *
   * @return the samples in the blocks
   */
  public static Map<Labels, TreeMap<Long, Double>> levelOneBlocks(
      Path dataDir, int pairs, int seriesCount, int metrics, long stepMillis, long seed)
      throws IOException {
    Map<Labels, TreeMap<Long, Double>> inBlocks = new TreeMap<>();
    java.nio.file.Files.createDirectories(dataDir);
    for (int w = 0; w < pairs; w++) {
      Path scratch = dataDir.resolveSibling(dataDir.getFileName() + ".fill-" + w);
      long start = w * 8 * HOUR;
      Map<Labels, TreeMap<Long, Double>> written;
      try (Tsdb db = open(scratch)) {
        written = fill(db, seriesCount, metrics, start, start + 7 * HOUR, stepMillis, seed + w);
      }
      for (var d : dev.strata.tsdb.block.BlockDirectories.list(scratch)) {
        java.nio.file.Files.move(d.path(), dataDir.resolve(d.ulid().toString()));
      }
      dev.strata.tsdb.testing.TempDirectory.deleteRecursively(scratch);
      long end = start + 4 * HOUR;
      written.forEach((l, samples) -> inBlocks.computeIfAbsent(l, k -> new TreeMap<>())
          .putAll(samples.headMap(end, false)));
    }
    return inBlocks;
  }

  /** Opens a TSDB in {@code dir} with {@link #options()}. */
  public static Tsdb open(Path dir) throws IOException {
    return Tsdb.open(dir, options());
  }
}
