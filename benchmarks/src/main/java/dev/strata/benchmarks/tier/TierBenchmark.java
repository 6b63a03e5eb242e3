package dev.strata.benchmarks.tier;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tier.store.BucketBlock;
import dev.strata.tier.store.BucketCaches;
import dev.strata.tier.store.BucketStore;
import dev.strata.tier.store.BucketStoreOptions;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The object storage tier end to end on one machine: builds one 24 h block of {@code --series}
 * series scraped every 15 s, uploads it to the bucket of {@code --objstore.config-file} (timed,
 * against {@code cp -r} of the same files), then queries {@code --query-series} series over the
 * whole day straight from the bucket: cold (empty local directory and caches), warm (same query
 * again), and cold caches on a block whose index header is already local; with bytes fetched
 * against the block's size.
 *
 * <p>{@code java @jvm.options -cp benchmarks/target/benchmarks.jar
 * dev.strata.benchmarks.tier.TierBenchmark --objstore.config-file=FILE --work=DIR [--series=N]}
 *
 * <p>A local S3 server for it: {@code LocalS3Server} in s3-tier's test classes prints a config
 * for an S3Proxy it runs (see benchmarks/RESULTS.md).
 */
public final class TierBenchmark {
  static final long HOUR = 3_600_000L;
  static final long STEP = 15_000L;

  private TierBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path config = null;
    Path work = null;
    int series = 63_000;
    int querySeries = 100;
    for (String a : args) {
      if (a.startsWith("--objstore.config-file=")) {
        config = Path.of(a.substring(a.indexOf('=') + 1));
      } else if (a.startsWith("--work=")) {
        work = Path.of(a.substring(7));
      } else if (a.startsWith("--series=")) {
        series = Integer.parseInt(a.substring(9));
      } else if (a.startsWith("--query-series=")) {
        querySeries = Integer.parseInt(a.substring(15));
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    if (config == null || work == null) {
      throw new IllegalArgumentException(
          "usage: --objstore.config-file=FILE --work=DIR [--series=N] [--query-series=100]");
    }
    int metrics = Math.max(1, series / querySeries);
    Path tsdbDir = work.resolve("tsdb");
    Path blockDir = buildBlock(tsdbDir, series, metrics);
    BlockMeta meta = BlockMetaFile.read(blockDir);
    long blockBytes = FileTrees.size(blockDir) - Files.size(blockDir.resolve("meta.json"));
    System.out.printf("block %s: %d series, %d samples, %d chunks, %.1f MB (index %.1f MB)%n",
        meta.ulid(), meta.stats().numSeries(), meta.stats().numSamples(), meta.stats().numChunks(),
        blockBytes / 1e6, Files.size(blockDir.resolve("index")) / 1e6);

    // cp of the same files, to a fresh directory.
    Path copy = work.resolve("cp-copy");
    FileTrees.deleteRecursively(copy);
    long t0 = System.nanoTime();
    Process cp = new ProcessBuilder("cp", "-r", blockDir.toString(), copy.toString()).inheritIO().start();
    if (cp.waitFor() != 0) {
      throw new IOException("cp failed");
    }
    double cpSeconds = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    double syncSeconds = (System.nanoTime() - t0) / 1e9;
    FileTrees.deleteRecursively(copy);
    System.out.printf("cp -r: %.2f s, %.0f MB/s (then sync: %.2f s)%n", cpSeconds,
        blockBytes / 1e6 / cpSeconds, syncSeconds);

    try (Bucket bucket = BucketConfig.read(config).open()) {
      BucketBlocks blocks = new BucketBlocks(bucket);
      BlockMeta uploaded = null;
      double[] runs = new double[3];
      for (int i = 0; i < runs.length; i++) {
        blocks.delete(meta.ulid());
        new ProcessBuilder("sync").inheritIO().start().waitFor(); // start each run with clean page cache writeback
        t0 = System.nanoTime();
        uploaded = blocks.upload(blockDir, new ThanosMeta(Map.of("bench", "tier"), 0, "benchmark"));
        runs[i] = (System.nanoTime() - t0) / 1e9;
        System.out.printf("upload %d to %s: %.2f s, %.0f MB/s%n", i + 1, bucket.name(), runs[i],
            blockBytes / 1e6 / runs[i]);
      }
      java.util.Arrays.sort(runs);
      System.out.printf("upload median: %.2f s, %.0f MB/s (%.1fx the time of cp)%n", runs[1],
          blockBytes / 1e6 / runs[1], runs[1] / cpSeconds);

      Path local = work.resolve("store-cache");
      FileTrees.deleteRecursively(local);
      BucketStoreOptions options = BucketStoreOptions.builder(local).caches(BucketCaches.defaults()).build();
      long mint = meta.minTime();
      long maxt = meta.maxTime() - 1;
      long indexSize = Files.size(blockDir.resolve("index"));
      try (BucketStore store = BucketStore.open(bucket, options)) {
        BucketBlock block = store.block(uploaded);
        LabelMatcher first = LabelMatcher.equal("__name__", "bench_metric_7");
        Result cold = query(block, first, mint, maxt);
        report("cold (no index header, empty caches)", cold, blockBytes);
        System.out.printf("  index header: %d bytes on disk of a %d-byte index (%.2f%%)%n",
            block.indexHeaderBytes(), indexSize, 100.0 * block.indexHeaderBytes() / indexSize);
        for (int i = 0; i < 3; i++) {
          report("warm (same query again)", query(block, first, mint, maxt), blockBytes);
        }
        LabelMatcher other = LabelMatcher.equal("__name__", "bench_metric_11");
        report("cold caches, header local (another 100 series)", query(block, other, mint, maxt), blockBytes);
        store.caches().describe().forEach(l -> System.out.println("  " + l));
      }
    }
  }

  record Result(long nanos, long bytes, long requests, int series, long samples) {}

  static Result query(BucketBlock block, LabelMatcher m, long mint, long maxt) {
    long bytes0 = block.bytesFetched();
    long req0 = block.requests();
    long t0 = System.nanoTime();
    int n = 0;
    long samples = 0;
    try (Querier q = new MergeQuerier(List.of(block.reader()), mint, maxt)) {
      SeriesSet set = q.select(m);
      while (set.next()) {
        n++;
        SampleIterator it = set.at().samples();
        while (it.next()) {
          samples++;
        }
      }
    }
    return new Result(System.nanoTime() - t0, block.bytesFetched() - bytes0, block.requests() - req0, n,
        samples);
  }

  static void report(String what, Result r, long blockBytes) {
    System.out.printf("query %s: %d series, %d samples in %.1f ms; fetched %d bytes in %d requests"
        + " (%.3f%% of the block)%n", what, r.series(), r.samples(), r.nanos() / 1e6, r.bytes(),
        r.requests(), 100.0 * r.bytes() / blockBytes);
  }

  /** One 24 h block of {@code series} series; reused when the directory already holds it. */
  static Path buildBlock(Path dir, int series, int metrics) throws IOException {
    if (Files.isDirectory(dir)) {
      for (var d : BlockDirectories.list(dir)) {
        BlockMeta m = BlockMetaFile.read(d.path());
        if (m.stats().numSeries() == series && m.maxTime() - m.minTime() == 24 * HOUR) {
          return d.path();
        }
      }
      FileTrees.deleteRecursively(dir);
    }
    TsdbOptions options = TsdbOptions.builder().blockRange(Duration.ofHours(24))
        .automaticCompaction(false).build();
    long t0 = System.nanoTime();
    try (Tsdb db = Tsdb.open(dir, options)) {
      long[] refs = new long[series];
      double[] values = new double[series];
      Labels[] labels = new Labels[series];
      for (int s = 0; s < series; s++) {
        labels[s] = Labels.of("__name__", "bench_metric_" + (s % metrics), "instance",
            "10.0." + (s / metrics / 250) + "." + (s / metrics % 250) + ":9100", "job",
            s % 5 == 0 ? "api" : "node", "region", s % 2 == 0 ? "eu-west-1" : "us-east-1");
      }
      SplittableRandom random = new SplittableRandom(1);
      Appender app = db.appender();
      int pending = 0;
      for (long t = 0; t < 24 * HOUR; t += STEP) {
        for (int s = 0; s < series; s++) {
          // Counters and gauges: mostly small integer steps, sometimes a jump.
          values[s] += s % 3 == 0 ? random.nextInt(5) * 10 : (random.nextInt(100) < 95
              ? random.nextInt(3) - 1 : random.nextDouble() * 50);
          refs[s] = t == 0 ? app.append(labels[s], t, values[s]) : app.append(refs[s], t, values[s]);
          if (++pending == 200_000) {
            app.commit();
            pending = 0;
          }
        }
      }
      // One sample a day and a half later lets the head cut the day into a block.
      app.append(labels[0], 36 * HOUR + STEP, values[0]);
      app.commit();
      db.compact();
    }
    System.out.printf("built the block in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    for (var d : BlockDirectories.list(dir)) {
      return d.path();
    }
    throw new IOException("no block was cut in " + dir);
  }
}
