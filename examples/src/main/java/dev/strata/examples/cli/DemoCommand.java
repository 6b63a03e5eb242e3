package dev.strata.examples.cli;

import dev.strata.examples.data.NodeExporterSimulator;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.TsdbStats;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tier.objstore.FilesystemBucket;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata demo}: the whole pipeline on simulated data. A fleet of node-exporter-like hosts is
 * scraped every 15 s over a few past days (backfilled as fast as the database takes it), the head
 * is cut into blocks and the blocks merged, and then the demo prints the blocks, the compression
 * and a few queries. The data directory has Prometheus's layout: {@code promtool tsdb dump} reads
 * it. Last, the blocks are shipped to a bucket in Thanos's layout (a local directory, or S3 with
 * {@code --objstore.config-file}), local retention drops the older half, and the whole range is
 * queried again across the database and the bucket: the same samples come back.
 */
@Command(
    name = "demo",
    description = "Ingest days of simulated node-exporter metrics, compact them into blocks, query them.")
final class DemoCommand implements Callable<Integer> {
  private static final long SCRAPE_MS = 15_000;

  @Option(names = "--data-dir", defaultValue = "strata-demo-data",
      description = "Where the database goes (replaced if it holds an earlier demo; default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--hosts", defaultValue = "50", converter = OptionTypes.Positive.class, description = "Simulated hosts, ~60 series each (default ${DEFAULT-VALUE}).")
  int hosts;

  @Option(names = "--days", defaultValue = "2", converter = OptionTypes.Positive.class, description = "Days of scrapes to backfill (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--bucket-dir", defaultValue = "strata-demo-bucket",
      description = "The filesystem bucket blocks are shipped to (replaced if it holds an earlier demo's blocks; default ${DEFAULT-VALUE}).")
  Path bucketDir;

  @Option(names = "--objstore.config-file", paramLabel = "FILE",
      description = "Ship to this bucket instead (Thanos YAML, type S3 or FILESYSTEM); nothing in it is deleted.")
  Path objstoreConfig;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!prepare(dataDir, DemoCommand::isDataDirEntry)) {
      spec.commandLine().getErr().printf(
          "strata demo: %s holds files that are not an earlier demo's; pass an empty or new directory"
              + " with --data-dir%n", dataDir);
      return 2;
    }
    if (objstoreConfig == null && !prepare(bucketDir, DemoCommand::isBucketEntry)) {
      spec.commandLine().getErr().printf(
          "strata demo: %s holds files that are not an earlier demo's blocks; pass an empty or new"
              + " directory with --bucket-dir%n", bucketDir);
      return 2;
    }
    try (Bucket bucket = openBucket()) { // before hours of ingestion, so a bad config fails fast
      return run(out, bucket);
    }
  }

  private int run(PrintWriter out, Bucket bucket) throws Exception {
    NodeExporterSimulator fleet = new NodeExporterSimulator(hosts, 42);
    List<Labels> series = fleet.series();
    long end = (Instant.now().toEpochMilli() / SCRAPE_MS) * SCRAPE_MS;
    long start = end - Duration.ofDays(days).toMillis();
    int scrapes = (int) ((end - start) / SCRAPE_MS);
    out.printf("Strata demo: %d hosts, %d series, %d days of 15 s scrapes (%,d samples) into %s%n%n",
        hosts, series.size(), days, (long) scrapes * series.size(), dataDir.toAbsolutePath());

    try (Tsdb db = Tsdb.open(dataDir, TsdbOptions.defaults())) {
      long ingestStart = System.nanoTime();
      long[] refs = new long[series.size()];
      Appender app = db.appender();
      for (int s = 0; s < scrapes; s++) {
        long t = start + s * SCRAPE_MS;
        fleet.scrape();
        for (int i = 0; i < refs.length; i++) {
          refs[i] = refs[i] == 0 ? app.append(series.get(i), t, fleet.value(i)) : app.append(refs[i], t, fleet.value(i));
        }
        app.commit();
      }
      double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
      long samples = (long) scrapes * series.size();
      out.printf("ingested %,d samples in %.1f s (%,.0f samples/s, WAL on)%n", samples, ingestSeconds, samples / ingestSeconds);

      long compactStart = System.nanoTime();
      db.compact();
      out.printf("compaction settled in %.1f s%n%n", (System.nanoTime() - compactStart) / 1e9);

      printBlocks(out, db.blocks());
      TsdbStats stats = db.stats();
      long blockSamples = db.blocks().stream().mapToLong(b -> b.stats().numSamples()).sum();
      out.printf("%nblocks: %,d bytes for %,d samples = %.2f bytes/sample (16 bytes raw)%n",
          stats.blockBytes(), blockSamples, (double) stats.blockBytes() / Math.max(1, blockSamples));
      out.printf("head:   %,d series, %,d chunks, %,d off-heap chunk bytes, %.0f bytes/series of bookkeeping, WAL %,d bytes%n%n",
          stats.headSeries(), stats.headChunks(), stats.headOffHeapChunkBytes(), stats.overheadBytesPerSeries(), stats.walBytes());

      queries(out, db, end);
    }
    new DemoTiering(out, dataDir, end, days).run(bucket);
    out.printf("%nThe directory is in Prometheus's layout; try: promtool tsdb list %s%n", dataDir);
    if (objstoreConfig == null) {
      out.printf("The bucket is in Thanos's layout; try: ./strata bucket ls --objstore.config-file="
          + "<(printf 'type: FILESYSTEM\\nconfig: {directory: %s}\\n')%n", bucketDir);
    }
    return 0;
  }

  private Bucket openBucket() throws IOException {
    if (objstoreConfig != null) {
      return BucketConfig.read(objstoreConfig).open();
    }
    return FilesystemBucket.open(bucketDir);
  }

  // Only an earlier demo's files are replaced; returns false for a directory holding anything else.
  private static boolean prepare(Path dir, Predicate<String> isDemoEntry) throws IOException {
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (!entries.allMatch(p -> isDemoEntry.test(p.getFileName().toString()))) {
          return false;
        }
      }
      FileTrees.deleteRecursively(dir);
    }
    return true;
  }

  private static boolean isDataDirEntry(String name) {
    return name.equals("wal") || name.equals("lock") || isBlockName(name) || name.contains(".tmp")
        || name.equals("thanos") || name.startsWith("thanos.shipper.json")
        || name.equals(DemoTiering.CACHE_DIR);
  }

  // Blocks and the filesystem bucket's hidden directory of uploads in progress.
  private static boolean isBucketEntry(String name) {
    return isBlockName(name) || name.startsWith(".strata");
  }

  private static boolean isBlockName(String name) {
    return name.length() == 26;
  }

  private static void printBlocks(PrintWriter out, List<BlockMeta> blocks) {
    out.printf("%-26s  %-20s  %-20s  %6s  %12s  %8s  %7s%n", "BLOCK ULID", "MIN TIME", "MAX TIME", "LEVEL", "SAMPLES", "CHUNKS", "SERIES");
    for (BlockMeta b : blocks) {
      out.printf("%-26s  %-20s  %-20s  %6d  %,12d  %,8d  %,7d%n", b.ulid(),
          Instant.ofEpochMilli(b.minTime()).toString().substring(0, 19),
          Instant.ofEpochMilli(b.maxTime()).toString().substring(0, 19),
          b.compaction().level(), b.stats().numSamples(), b.stats().numChunks(), b.stats().numSeries());
    }
  }

  private static void queries(PrintWriter out, Tsdb db, long end) {
    long hour = 3_600_000;
    long t0 = System.nanoTime();
    try (Querier q = db.querier(end - hour, end)) {
      out.println("busiest CPUs over the last hour (non-idle CPU seconds per second):");
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "node_cpu_seconds_total"), LabelMatcher.equal("mode", "user"),
          LabelMatcher.regex("instance", "node-00[0-4]:9100"));
      while (set.next()) {
        SampleIterator it = set.at().samples();
        double first = Double.NaN;
        double last = Double.NaN;
        long firstT = 0;
        long lastT = 0;
        while (it.next()) {
          if (Double.isNaN(first)) {
            first = it.v();
            firstT = it.t();
          }
          last = it.v();
          lastT = it.t();
        }
        out.printf("  %s  %.3f%n", set.at().labels(), (last - first) / ((lastT - firstT) / 1000.0));
      }
      out.printf("regions: %s%n", q.labelValues("region"));
      out.printf("distinct metric names: %d%n", q.labelValues("__name__").size());
    }
    try (Querier q = db.querier(Long.MIN_VALUE, end)) {
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "node_memory_MemAvailable_bytes"), LabelMatcher.equal("instance", "node-000:9100"));
      long samples = 0;
      double min = Double.MAX_VALUE;
      while (set.next()) {
        SampleIterator it = set.at().samples();
        while (it.next()) {
          samples++;
          min = Math.min(min, it.v());
        }
      }
      out.printf("lowest available memory on node-000 over the whole range: %.0f MiB (%,d samples read from blocks and head)%n",
          min / (1 << 20), samples);
    }
    out.printf("queries took %.1f ms%n", (System.nanoTime() - t0) / 1e6);
  }
}
