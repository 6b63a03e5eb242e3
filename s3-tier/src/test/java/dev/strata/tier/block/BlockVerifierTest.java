package dev.strata.tier.block;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.testing.TempDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockVerifierTest {
  @Test
  void findsDamageAndMissingFiles() throws Exception {
    try (TempDirectory tmp = TempDirectory.create("verify");
        FilesystemBucket bucket = FilesystemBucket.open(tmp.path().resolve("bucket"))) {
      Path data = tmp.path().resolve("tsdb");
      TestTsdb.levelOneBlocks(data, 1, 50, 5, 30_000, 3);
      Shipper.builder(data, bucket).externalLabels(Map.of("r", "1")).build().sync();
      List<BlockDirectories.BlockDirectory> blocks = BlockDirectories.list(data);
      Ulid a = blocks.get(0).ulid();
      Ulid b = blocks.get(1).ulid();
      BlockVerifier.Report good = BlockVerifier.verify(bucket, a, tmp.path().resolve("scratch"));
      assertTrue(good.ok(), good.problems().toString());
      assertTrue(good.series() == 50 && good.chunks() > 0, good.toString());

      Path seg = bucket.root().resolve(a + "/chunks/000001");
      byte[] bytes = Files.readAllBytes(seg);
      bytes[bytes.length / 2] ^= 1;
      Files.write(seg, bytes);
      BlockVerifier.Report bad = BlockVerifier.verify(bucket, a, tmp.path().resolve("scratch"));
      assertFalse(bad.ok());
      assertTrue(bad.problems().toString().contains("CRC"), bad.problems().toString());

      Files.delete(bucket.root().resolve(b + "/index"));
      BlockVerifier.Report missing = BlockVerifier.verify(bucket, b, tmp.path().resolve("scratch"));
      assertTrue(missing.problems().toString().contains("index: listed in meta.json but missing"),
          missing.problems().toString());
      assertTrue(Files.notExists(tmp.path().resolve("scratch").resolve(b.toString())));
      try (var left = Files.list(tmp.path().resolve("scratch"))) {
        assertTrue(left.findAny().isEmpty(), "the downloads are removed");
      }
    }
  }

  @Test
  void aScratchDirectoryHoldingTheBlockItselfKeepsIt() throws Exception {
    try (TempDirectory tmp = TempDirectory.create("verify");
        FilesystemBucket bucket = FilesystemBucket.open(tmp.path().resolve("bucket"))) {
      Path data = tmp.path().resolve("tsdb");
      TestTsdb.levelOneBlocks(data, 1, 20, 5, 30_000, 1);
      Shipper.builder(data, bucket).externalLabels(Map.of("r", "1")).build().sync();
      Ulid id = BlockDirectories.list(data).get(0).ulid();
      Path local = BlockDirectories.path(data, id);
      long files;
      try (var s = Files.walk(local)) {
        files = s.count();
      }

      // The data directory the block was shipped from, given as the scratch directory.
      assertTrue(BlockVerifier.verify(bucket, id, data).ok());
      try (var s = Files.walk(local)) {
        assertTrue(s.count() == files, "the local block is intact");
      }
    }
  }
}
