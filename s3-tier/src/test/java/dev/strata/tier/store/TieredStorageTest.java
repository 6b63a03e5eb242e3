package dev.strata.tier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.Downsampler;
import dev.strata.downsample.Resolutions;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.testing.TempDirectory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TieredStorageTest {
  static final long H = TestTsdb.HOUR;

  @Test
  void shipsAndQueriesLocalAndBucketAsOne() throws Exception {
    try (TempDirectory tmp = TempDirectory.create("tiered");
        Bucket bucket = FilesystemBucket.open(tmp.path().resolve("bucket"))) {
      Map<Labels, TreeMap<Long, Double>> written;
      var dir = tmp.path().resolve("tsdb");
      try (Tsdb db = TestTsdb.open(dir)) {
        written = TestTsdb.fill(db, 40, 4, 0, 7 * H, 30_000, 5);
        try (TieredStorage tiered = TieredStorage.open(db, bucket, Map.of("cluster", "eu"),
            BucketStoreOptions.builder(tmp.path().resolve("cache")).build())) {
          assertEquals(2, tiered.ship());
          assertEquals(2, tiered.store().blocks().size());
          LabelMatcher[] q = {LabelMatcher.regex("__name__", "metric_[12]")};
          try (Querier querier = tiered.querier(0, 10 * H)) {
            // Blocks are local and in the bucket: read once, head included.
            assertEquals(TestTsdb.expected(written, 0, 10 * H, q), TestTsdb.read(querier, q));
          }
        }
      }
      // A compactor added 5m copies of the blocks: they are not read again as raw data.
      for (var d : BlockDirectories.list(dir)) {
        BlockMeta fiveMinutes = Downsampler.downsample(Block.open(d.path()), Resolutions.FIVE_MINUTES,
            tmp.path().resolve("downsampled"));
        new BucketBlocks(bucket).upload(
            tmp.path().resolve("downsampled").resolve(fiveMinutes.ulid().toString()),
            new ThanosMeta(Map.of("cluster", "eu"), ThanosMeta.RESOLUTION_5M,
                ThanosMeta.SOURCE_COMPACTOR));
      }
      // Retention took the local blocks; the bucket still answers for them.
      for (var d : BlockDirectories.list(dir)) {
        BlockDirectories.delete(d.path());
      }
      try (Tsdb db = TestTsdb.open(dir);
          TieredStorage tiered = TieredStorage.open(db, bucket, Map.of("cluster", "eu"),
              BucketStoreOptions.builder(tmp.path().resolve("cache")).build())) {
        List<BlockMeta> local = db.blocks();
        assertTrue(local.isEmpty());
        LabelMatcher[] q = {LabelMatcher.equal("job", "api")};
        try (Querier querier = tiered.querier(0, 10 * H)) {
          assertEquals(TestTsdb.expected(written, 0, 10 * H, q), TestTsdb.read(querier, q));
          assertTrue(querier.labelValues("instance").size() > 0);
        }
      }
    }
  }
}
