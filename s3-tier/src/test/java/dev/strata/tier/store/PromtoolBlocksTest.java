package dev.strata.tier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.block.Shipper;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.testing.TempDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Blocks written by Prometheus's promtool go through the shipper and read back from the bucket. */
@Interop
class PromtoolBlocksTest {
  @Test
  void promtoolBlocksShipAndQueryFromTheBucket() throws Exception {
    try (TempDirectory tmp = TempDirectory.create("promtool-blocks")) {
      StringBuilder om = new StringBuilder("# TYPE http_requests counter\n");
      Random r = new Random(9);
      long start = 1_700_000_000L;
      for (int s = 0; s < 40; s++) {
        double v = 0;
        for (long t = 0; t < 5 * 3600; t += 60) {
          v += r.nextInt(20);
          om.append("http_requests_total{code=\"").append(200 + s % 5).append("\",instance=\"i-")
              .append(s).append("\"} ").append(v).append(' ').append(start + t).append('\n');
        }
      }
      om.append("# EOF\n");
      Path input = tmp.path().resolve("input.om");
      Files.writeString(input, om);
      Path data = tmp.path().resolve("prometheus");
      Promtool.run(tmp.path(), "tsdb", "create-blocks-from", "openmetrics", input.toString(),
          data.toString()).assertSuccess();
      List<BlockDirectories.BlockDirectory> local = BlockDirectories.list(data);
      assertTrue(local.size() >= 2, "promtool cut " + local.size() + " blocks");
      try (FilesystemBucket bucket = FilesystemBucket.open(tmp.path().resolve("bucket"));
          BucketStore store = BucketStore.open(bucket, BucketStoreOptions.builder(tmp.path().resolve("local")).build())) {
        Shipper.builder(data, bucket).externalLabels(Map.of("prometheus", "p1")).build().sync();
        assertEquals(local.size(), store.sync().size());
        List<Block> blocks = new ArrayList<>();
        List<BlockReader> readers = new ArrayList<>();
        for (var d : local) {
          Block b = Block.open(d.path());
          blocks.add(b);
          readers.add(b.reader());
        }
        long mint = start * 1000;
        long maxt = (start + 6 * 3600) * 1000;
        LabelMatcher[][] queries = {{LabelMatcher.equal("code", "201")},
            {LabelMatcher.regex("instance", "i-1.*"), LabelMatcher.notEqual("code", "200")}};
        for (LabelMatcher[] q : queries) {
          try (Querier fromDisk = new MergeQuerier(readers, mint, maxt);
              Querier fromBucket = store.querier(mint, maxt)) {
            var expected = TestTsdb.read(fromDisk, q);
            assertTrue(!expected.isEmpty());
            assertEquals(expected, TestTsdb.read(fromBucket, q));
          }
          readers.clear();
          for (Block b : blocks) {
            readers.add(b.reader());
          }
        }
        readers.forEach(BlockReader::close);
        blocks.forEach(Block::close);
      }
    }
  }
}
