package dev.strata.tier.testing;

import dev.strata.tier.block.BlockFilter;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.store.BucketStore;
import dev.strata.tier.store.BucketStoreOptions;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Blocks as sidecars upload them, written straight into a bucket, and the bucket's raw data read
 * back, for the compactor's tests.
 */
public final class SidecarBlocks {
  public static final long HOUR = TestTsdb.HOUR;

  private final Bucket bucket;
  private final Path scratch;
  private final UlidGenerator ulids;
  /** Every sample uploaded, by external labels, then series labels, then time. */
  private final Map<Map<String, String>, Map<Labels, TreeMap<Long, Double>>> written =
      new java.util.HashMap<>();

  public SidecarBlocks(Bucket bucket, Path scratch, UlidGenerator ulids) {
    this.bucket = bucket;
    this.scratch = scratch;
    this.ulids = ulids;
  }

  /**
   * Uploads a level-1 block of {@code series} series over {@code [start, end)}, a sample every
   * minute (value: a counter that depends on the series and time), with {@code external} labels.
   */
  public BlockMeta upload(Map<String, String> external, long start, long end, int series)
      throws IOException {
    return upload(external, start, end, series, ThanosMeta.SOURCE_SIDECAR);
  }

  public BlockMeta upload(Map<String, String> external, long start, long end, int series,
      String source)
      throws IOException {
    Path dir = scratch.resolve("sidecar-blocks");
    BlockMeta meta;
    try (Head head = Head.inMemory(new HeadOptions(2 * HOUR, true, 1 << 20, false, false))) {
      Appender app = head.appender();
      for (int s = 0; s < series; s++) {
        Labels labels = TestTsdb.series(s, 3);
        for (long t = start; t < end; t += 60_000) {
          double v = s * 1000 + t / 60_000.0;
          app.append(labels, t, v);
          written.computeIfAbsent(external, k -> new TreeMap<>())
              .computeIfAbsent(labels, k -> new TreeMap<>()).put(t, v);
        }
      }
      app.commit();
      BlockMeta target = BlockMeta.newBlock(ulids.next(), start, end, BlockStats.EMPTY);
      try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
        meta = BlockWriter.write(dir, target, List.of(r)).orElseThrow();
      }
    }
    BlockMeta uploaded = new BucketBlocks(bucket).upload(BlockDirectories.path(dir, meta.ulid()),
        new ThanosMeta(external, ThanosMeta.RESOLUTION_RAW, source));
    dev.strata.tsdb.fileutil.FileTrees.deleteRecursively(dir);
    return uploaded;
  }

  /** Every sample uploaded with {@code external} labels. */
  public Map<Labels, TreeMap<Long, Double>> written(Map<String, String> external) {
    return written.getOrDefault(external, Map.of());
  }

  /**
   * Every raw sample the bucket serves with {@code external} labels (of blocks not marked for
   * deletion); a sample in two blocks comes back once, so duplicates are counted apart.
   */
  public Map<Labels, TreeMap<Long, Double>> readRaw(Map<String, String> external)
      throws IOException {
    try (BucketStore store = BucketStore.open(bucket,
        BucketStoreOptions.builder(scratch.resolve("read-cache")).build(),
        BlockFilter.notDeleted(java.time.Duration.ZERO).and(BlockFilter.resolution(0))
            .and(BlockFilter.externalLabels(external)))) {
      store.sync();
      try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        return TestTsdb.read(q, LabelMatcher.regex("__name__", ".+"));
      }
    }
  }
}
