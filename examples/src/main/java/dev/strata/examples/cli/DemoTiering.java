package dev.strata.examples.cli;

import dev.strata.downsample.Downsampler;
import dev.strata.downsample.Resolutions;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.CountingBucket;
import dev.strata.tier.store.BucketStoreOptions;
import dev.strata.tier.store.TieredStorage;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The demo's second half: the database's blocks go to a bucket (compacted ones too, as no Thanos
 * compactor runs here), local retention then drops the older half of the data, and the whole range
 * read across the database and the bucket must give back exactly the samples read before.
 */
final class DemoTiering {
  /** Where the bucket blocks' index headers are kept, inside the data directory. */
  static final String CACHE_DIR = "bucket-cache";

  /** Where the blocks' downsampled copies are written before they go to the bucket. */
  static final String DOWNSAMPLE_DIR = "downsampled.tmp";

  private final PrintWriter out;
  private final PrintWriter err;
  private final Path dataDir;
  private final long end;
  private final int days;
  private final String runId;

  DemoTiering(PrintWriter out, PrintWriter err, Path dataDir, long end, int days, String runId) {
    this.out = out;
    this.err = err;
    this.dataDir = dataDir;
    this.end = end;
    this.days = days;
    this.runId = runId;
  }

  /**
   * The external labels of a run's blocks. The run's own label keeps earlier demos' blocks in a
   * shared bucket out of this one's reads, and proves which blocks of a bucket directory a later
   * demo may delete.
   */
  static Map<String, String> externalLabels(String runId) {
    return Map.of("source", "strata-demo", "run", runId);
  }

  /** Ships to {@code bucket} and reads back; the bucket stays the caller's. */
  void run(CountingBucket bucket) throws IOException {
    Map<String, String> externalLabels = externalLabels(runId);
    BucketStoreOptions storeOptions = BucketStoreOptions.builder(dataDir.resolve(CACHE_DIR)).build();
    Fingerprint before;
    try (Tsdb db = Tsdb.open(dataDir, TsdbOptions.defaults());
        TieredStorage tiered = TieredStorage.open(db, bucket, externalLabels, storeOptions, true)) {
      before = fingerprint(db.querier(Long.MIN_VALUE, end));
      long start = System.nanoTime();
      int shipped;
      try (Progress progress = Progress.onTerminal(err, () -> String.format(
          "shipping: %d objects, %.1f MB uploaded", bucket.objectsUploaded(),
          bucket.bytesUploaded() / 1e6))) {
        shipped = tiered.ship();
      }
      long bytes = tiered.store().blocks().stream().mapToLong(b -> b.sizeBytes()).sum();
      out.printf("%nshipped %d blocks (%,d bytes) to bucket %s in %.1f s, external labels %s%n",
          shipped, bytes, bucket.name(), (System.nanoTime() - start) / 1e9, externalLabels);
      uploadFiveMinuteCopies(db.blocks(), bucket, externalLabels);
    }

    Duration retention = Duration.ofHours(days * 24L / 2);
    TsdbOptions shortRetention = TsdbOptions.builder().retentionTime(retention).build();
    try (Tsdb db = Tsdb.open(dataDir, shortRetention);
        TieredStorage tiered = TieredStorage.open(db, bucket, externalLabels, storeOptions, true)) {
      db.compact();
      List<BlockMeta> local = db.blocks();
      out.printf("local retention of %dh leaves %d blocks, from %s; the bucket holds %d%n",
          retention.toHours(), local.size(),
          local.isEmpty() ? "-" : Instant.ofEpochMilli(local.get(0).minTime()).toString().substring(0, 19),
          tiered.store().blocks().size());
      long start = System.nanoTime();
      Fingerprint after = fingerprint(tiered.querier(Long.MIN_VALUE, end));
      out.printf("whole range across database and bucket: %,d series, %,d samples in %.1f s,"
              + " %,d bytes read from the bucket%n",
          after.series, after.samples, (System.nanoTime() - start) / 1e9,
          tiered.store().bytesFetched());
      if (!after.equals(before)) {
        throw new IllegalStateException("the tiered read differs from the local read before"
            + " shipping: " + before + " then " + after);
      }
      out.printf("identical to the local read before shipping (%,d series, %,d samples, hash %016x)%n",
          before.series, before.samples, before.hash);
    }
  }

  /**
   * Adds a 5-minute downsampled copy of every block to the bucket, as a compactor would, so that
   * the global view can answer long ranges from aggregates. A compactor waits until a block spans
   * 40 hours; the demo's data is too short for that, so it does not wait.
   */
  private void uploadFiveMinuteCopies(List<BlockMeta> blocks, CountingBucket bucket,
      Map<String, String> externalLabels) throws IOException {
    long start = System.nanoTime();
    Path tmp = dataDir.resolve(DOWNSAMPLE_DIR);
    BucketBlocks uploads = new BucketBlocks(bucket);
    try {
      for (BlockMeta meta : blocks) {
        BlockMeta copy;
        try (Block block = Block.open(BlockDirectories.path(dataDir, meta.ulid()))) {
          copy = Downsampler.downsample(block, Resolutions.FIVE_MINUTES, tmp);
        }
        uploads.upload(BlockDirectories.path(tmp, copy.ulid()), new ThanosMeta(externalLabels,
            ThanosMeta.RESOLUTION_5M, ThanosMeta.SOURCE_COMPACTOR));
      }
    } finally {
      FileTrees.deleteRecursively(tmp);
    }
    out.printf("added 5m downsampled copies of the %d blocks to the bucket in %.1f s%n",
        blocks.size(), (System.nanoTime() - start) / 1e9);
  }

  /** What a full read returned, summarised: any lost, added or changed sample changes it. */
  private record Fingerprint(long series, long samples, long hash) {}

  private static Fingerprint fingerprint(Querier querier) {
    long series = 0;
    long samples = 0;
    long hash = 0;
    try (querier) {
      SeriesSet set = querier.select(LabelMatcher.regex("__name__", ".+"));
      while (set.next()) {
        series++;
        long h = set.at().labels().hashCode();
        SampleIterator it = set.at().samples();
        while (it.next()) {
          samples++;
          h = h * 31 + it.t();
          h = h * 31 + Double.doubleToRawLongBits(it.v());
        }
        hash = hash * 1_000_003 + h;
      }
    }
    return new Fingerprint(series, samples, hash);
  }
}
