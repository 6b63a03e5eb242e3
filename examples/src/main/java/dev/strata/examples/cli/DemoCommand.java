package dev.strata.examples.cli;

import dev.strata.examples.data.NodeExporterSimulator;
import dev.strata.examples.server.ServerLifecycle;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tier.objstore.CountingBucket;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.TsdbStats;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
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
 * queried again across the database and the bucket: the same samples come back. Then the global
 * view starts over both (a store gateway and a querier as child processes, the database served
 * over the StoreAPI by this process) and PromQL queries go through the querier's HTTP API, one of
 * them from 5-minute aggregates; with {@code --serve} it stays up for its UI.
 */
@Command(
    name = "demo",
    description = "Ingest days of simulated node-exporter metrics, compact them into blocks, query them.")
final class DemoCommand implements Callable<Integer> {
  private static final long SCRAPE_MS = 15_000;

  @Option(names = "--data-dir", defaultValue = "strata-demo-data",
      description = "Where the database goes (replaced if an earlier demo created it; default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--hosts", defaultValue = "50", converter = OptionTypes.Positive.class, description = "Simulated hosts, ~60 series each (default ${DEFAULT-VALUE}).")
  int hosts;

  @Option(names = "--days", defaultValue = "2", converter = OptionTypes.Positive.class, description = "Days of scrapes to backfill (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--bucket-dir", defaultValue = "strata-demo-bucket",
      description = "The filesystem bucket blocks are shipped to (replaced if an earlier demo created it; default ${DEFAULT-VALUE}).")
  Path bucketDir;

  @Option(names = "--force",
      description = "Delete the data and bucket directories even if an earlier demo did not create them.")
  boolean force;

  @Option(names = "--objstore.config-file", paramLabel = "FILE",
      description = "Ship to this bucket instead (Thanos YAML, type S3 or FILESYSTEM); nothing in it is deleted.")
  Path objstoreConfig;

  @Option(names = "--serve",
      description = "Keep the global view (querier, store gateway, database) up until Ctrl-C, to open its UI.")
  boolean serve;

  // For tests of other parts of the demo: the global view is what takes longest.
  @Option(names = "--no-global-view", hidden = true,
      description = "Stop after the bucket's read-back, without the global view.")
  boolean noGlobalView;

  @Option(names = "--http-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
      description = "Where the demo's querier serves its HTTP API and UI (default: a free port on 127.0.0.1).")
  String httpAddress;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String runId = UlidGenerator.system().next().toString();
    // Both directories are checked before either is touched.
    try {
      OwnedDirectory data = OwnedDirectory.inspect(dataDir, "demo", DemoCommand::isDataDirEntry,
          force, "--data-dir");
      OwnedDirectory bucket = objstoreConfig != null ? null
          : OwnedDirectory.inspect(bucketDir, "demo", DemoCommand::isBucketEntry, force,
              "--bucket-dir");
      data.claim(runId, err);
      if (bucket != null) {
        bucket.claim(runId, err);
      }
    } catch (OwnedDirectory.NotOwnedException e) {
      err.println("strata demo: " + e.getMessage());
      return 2;
    }
    try (CountingBucket bucket = new CountingBucket(openBucket(err))) { // fails fast on a bad config
      return run(out, err, bucket, runId);
    }
  }

  private int run(PrintWriter out, PrintWriter err, CountingBucket bucket, String runId) throws Exception {
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
      long samples = (long) scrapes * series.size();
      AtomicLong ingested = new AtomicLong();
      try (Progress progress = Progress.onTerminal(err, () -> String.format(
          "ingesting: %,d of %,d samples (%d%%), %d blocks cut", ingested.get(), samples,
          ingested.get() * 100 / samples, db.blocks().size()))) {
        Appender app = db.appender();
        for (int s = 0; s < scrapes; s++) {
          long t = start + s * SCRAPE_MS;
          fleet.scrape();
          for (int i = 0; i < refs.length; i++) {
            refs[i] = refs[i] == 0 ? app.append(series.get(i), t, fleet.value(i)) : app.append(refs[i], t, fleet.value(i));
          }
          app.commit();
          ingested.addAndGet(refs.length);
        }
      }
      double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
      out.printf("ingested %,d samples in %.1f s (%,.0f samples/s, WAL on)%n", samples, ingestSeconds, samples / ingestSeconds);

      long compactStart = System.nanoTime();
      try (Progress progress = Progress.onTerminal(err,
          () -> String.format("compacting: %d blocks", db.blocks().size()))) {
        db.compact();
      }
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
    new DemoTiering(out, err, dataDir, end, days, runId).run(bucket);
    if (noGlobalView) {
      return 0;
    }
    DemoGlobalView global = new DemoGlobalView(out, dataDir, objstoreConfig, bucketDir,
        DemoTiering.externalLabels(runId), httpAddress);
    ServerLifecycle lifecycle = new ServerLifecycle("demo");
    lifecycle.closeAtStop(global);
    try {
      global.start();
      global.queries(end, days, scrapes);
    } catch (Exception | Error e) {
      global.close();
      throw e;
    }
    out.printf("%nThe directory is in Prometheus's layout; try: promtool tsdb list %s%n", dataDir);
    out.printf("Query it with PromQL, as Grafana or promtool query would: ./strata serve"
        + " --storage.tsdb.path=%s --web.listen-address=127.0.0.1:9090%n"
        + "  then: curl http://127.0.0.1:9090/api/v1/query"
        + " --data-urlencode 'query=topk(3, rate(node_cpu_seconds_total[5m]))' -d time=%d%n",
        dataDir, end / 1000);
    if (objstoreConfig == null) {
      out.printf("The bucket is in Thanos's layout; try: ./strata bucket ls --objstore.config-file="
          + "<(printf 'type: FILESYSTEM\\nconfig: {directory: %s}\\n')%n", bucketDir);
    }
    out.printf("The global view's UI: %s%n",
        global.graphLink("sum by (region) (rate(node_cpu_seconds_total{mode=\"user\"}[5m]))", days));
    if (serve) {
      out.printf("Serving until Ctrl-C (./strata demo without --serve stops here).%n");
      out.flush();
      lifecycle.awaitStop();
    } else {
      global.close();
      out.printf("(./strata demo --serve keeps it up.)%n");
    }
    return 0;
  }

  // The demo writes, so a filesystem bucket named in a config may be created (and it says so);
  // its own bucket directory was claimed above.
  private Bucket openBucket(PrintWriter err) throws IOException {
    if (objstoreConfig != null) {
      return BucketConfig.read(objstoreConfig)
          .openOrCreate(dir -> err.println("strata demo: created bucket directory " + dir));
    }
    return FilesystemBucket.openExisting(bucketDir);
  }

  // What the demo writes into a data directory it created: the database, the shipper's state and
  // the bucket reads' cache.
  private static boolean isDataDirEntry(Path entry, OwnedDirectory.Marker marker) {
    String name = entry.getFileName().toString();
    return name.equals("wal") || name.equals("lock") || Ulid.tryParse(name).isPresent() || name.contains(".tmp")
        || name.equals("thanos") || name.startsWith("thanos.shipper.json")
        || name.equals(DemoTiering.CACHE_DIR) || name.equals(DemoGlobalView.DIR);
  }

  // The filesystem bucket's hidden directory of uploads in progress, and blocks that carry the
  // external labels of the run that marked the directory: nothing another writer shipped.
  private static boolean isBucketEntry(Path entry, OwnedDirectory.Marker marker) throws IOException {
    String name = entry.getFileName().toString();
    if (name.startsWith(".strata")) {
      return true;
    }
    if (!Ulid.tryParse(name).isPresent() || !Files.isRegularFile(entry.resolve(BlockMetaFile.FILE_NAME))) {
      return false;
    }
    try {
      return BlockMetaFile.read(entry).thanos()
          .map(t -> t.labels().equals(DemoTiering.externalLabels(marker.runId())))
          .orElse(false);
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
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
      out.println("busiest CPUs over the last hour (user CPU seconds per second):");
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "node_cpu_seconds_total"), LabelMatcher.equal("mode", "user"),
          LabelMatcher.regex("instance", "node-00[0-4]:9100"));
      List<Map.Entry<Labels, Double>> busy = new ArrayList<>();
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
        busy.add(Map.entry(set.at().labels(), (last - first) / ((lastT - firstT) / 1000.0)));
      }
      busy.sort(Map.Entry.<Labels, Double>comparingByValue().reversed());
      busy.forEach(e -> out.printf("  %s  %.3f%n", e.getKey(), e.getValue()));
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
