package dev.strata.benchmarks.storeapi;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The data both StoreAPI benchmarks serve: {@code series} series scraped every 15 s over {@code
 * hours} hours ending at a 2 h boundary, as the embedded TSDB cuts and compacts them (2 h blocks
 * merged into larger ones). Node-exporter-like counters and gauges, as in the tier benchmark.
 */
final class SeriesData {
  static final long HOUR = 3_600_000L;
  static final long STEP = 15_000L;

  private SeriesData() {}

  /** Writes the blocks into {@code dir} (only blocks: no WAL is left behind). */
  static void write(Path dir, int series, int hours, long end) throws IOException {
    Path scratch = dir.resolveSibling(dir.getFileName() + ".scratch");
    FileTrees.deleteRecursively(scratch);
    long start = end - hours * HOUR;
    TsdbOptions options = TsdbOptions.builder().blockRange(Duration.ofHours(2))
        .automaticCompaction(false).build();
    int metrics = Math.max(1, series / 100);
    try (Tsdb db = Tsdb.open(scratch, options)) {
      long[] refs = new long[series];
      double[] values = new double[series];
      Labels[] labels = new Labels[series];
      for (int s = 0; s < series; s++) {
        labels[s] = Labels.of("__name__", "bench_metric_" + (s % metrics), "instance",
            "10.0." + (s / metrics / 250) + "." + (s / metrics % 250) + ":9100", "job",
            s % 5 == 0 ? "api" : "node");
      }
      SplittableRandom random = new SplittableRandom(1);
      Appender app = db.appender();
      int pending = 0;
      for (long t = start; t < end; t += STEP) {
        for (int s = 0; s < series; s++) {
          values[s] += s % 3 == 0 ? random.nextInt(5) * 10 : (random.nextInt(100) < 95
              ? random.nextInt(3) - 1 : random.nextDouble() * 50);
          refs[s] = t == start ? app.append(labels[s], t, values[s]) : app.append(refs[s], t, values[s]);
          if (++pending == 200_000) {
            app.commit();
            pending = 0;
          }
        }
      }
      // A sample 3 h later lets the head cut the last 2 h into a block.
      app.append(labels[0], end + 3 * HOUR, values[0]);
      app.commit();
      db.compact();
    }
    Files.createDirectories(dir);
    for (var d : BlockDirectories.list(scratch)) {
      if (dev.strata.tsdb.block.BlockMetaFile.read(d.path()).maxTime() <= end) {
        Files.move(d.path(), dir.resolve(d.ulid().toString()));
      }
    }
    FileTrees.deleteRecursively(scratch);
  }

  /** The samples of an XOR chunk: its first two bytes, big-endian. */
  static int xorSamples(com.google.protobuf.ByteString data) {
    return ((data.byteAt(0) & 0xff) << 8) | (data.byteAt(1) & 0xff);
  }
}
