package dev.strata.tier.compact;

import static dev.strata.tier.testing.SidecarBlocks.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.block.BlockVerifier;
import dev.strata.tier.block.MetaSync;
import dev.strata.tier.block.SyncedBlock;
import dev.strata.tier.objstore.S3Bucket;
import dev.strata.tier.testing.FaultProxy;
import dev.strata.tier.testing.FaultProxy.Fault;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tier.testing.SidecarBlocks;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.UlidGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BucketCompactor} reaching S3Proxy through a proxy that drops connections, cuts responses,
 * answers 503 and delays: requests are retried, a pass that fails anyway leaves nothing half
 * written for readers, and a later pass finishes the job with every sample once.
 */
class BucketCompactorFaultTest {
  private static final Map<String, String> A = Map.of("cluster", "a");
  private static final long T0 = 100 * 24 * HOUR;
  private static final Fault[] TRANSIENT = {Fault.SLOW_DOWN, Fault.DROP_BEFORE,
      Fault.DROP_MID_REQUEST, Fault.DROP_MID_RESPONSE, Fault.DELAY};

  @TempDir Path tmp;

  @Test
  void transientFaultsDuringDownloadsAndUploadsAreRetried() throws Exception {
    try (LocalS3Server s3 = LocalS3Server.inMemory();
        FaultProxy proxy = new FaultProxy(s3.port())) {
      SidecarBlocks blocks = upload(s3, "transient", 10);
      Random random = new Random(7);
      proxy.delay(Duration.ofMillis(300)).plan(r -> random.nextInt(4) == 0
          ? TRANSIENT[random.nextInt(TRANSIENT.length)] : Fault.PASS);
      try (S3Bucket bucket = S3Bucket.open(s3.options("transient", proxy.endpoint())
          .maxRetries(8).build())) {
        int failedPasses = 0;
        BucketCompactor compactor = new BucketCompactor(bucket, options("transient"));
        List<BlockMeta> compacted = new ArrayList<>();
        for (int pass = 0; pass < 10; pass++) {
          try {
            compacted.addAll(compactor.run().compacted());
            break;
          } catch (IOException e) {
            failedPasses++;
          }
        }
        assertTrue(failedPasses < 10, "no pass got through");
        assertTrue(proxy.faults() > 10, "faults injected: " + proxy.faults());
        proxy.plan(r -> Fault.PASS);
        assertTrue(compactor.run().compacted().isEmpty(), "the first good pass did it all");
        assertFalse(compacted.isEmpty());
      }
      assertWholeAndOnce(s3, "transient", blocks);
    }
  }

  @Test
  void aPassWhoseUploadsFailLeavesNothingHalfWrittenAndTheNextOneFinishes() throws Exception {
    try (LocalS3Server s3 = LocalS3Server.inMemory();
        FaultProxy proxy = new FaultProxy(s3.port())) {
      SidecarBlocks blocks = upload(s3, "uploads", 10);
      List<String> before = liveUlids(s3, "uploads");
      // The data goes up; meta.json, last, does not: a partial upload, invisible to readers.
      proxy.plan(r -> r.method().equals("PUT") && r.target().contains("meta.json")
          ? Fault.SLOW_DOWN : Fault.PASS);
      try (S3Bucket bucket = S3Bucket.open(s3.options("uploads", proxy.endpoint())
          .maxRetries(2).build())) {
        BucketCompactor compactor = new BucketCompactor(bucket, options("uploads"));
        assertThrows(IOException.class, compactor::run);
        assertEquals(before, liveUlids(s3, "uploads"), "no block added, none marked");
        try (S3Bucket direct = S3Bucket.open(s3.options("uploads").build())) {
          assertEquals(1, MetaSync.builder(direct).build().sync().partial().size(),
              "the merged block's data without its meta.json");
        }
        proxy.plan(r -> Fault.PASS);
        assertFalse(compactor.run().compacted().isEmpty());
      }
      assertWholeAndOnce(s3, "uploads", blocks);
    }
  }

  private CompactorOptions options(String bucket) {
    return CompactorOptions.builder(tmp.resolve("scratch-" + bucket))
        .consistencyDelay(Duration.ZERO).downsampling(false).build();
  }

  private SidecarBlocks upload(LocalS3Server s3, String name, int count) throws IOException {
    try (S3Bucket bucket = s3.bucket(name)) {
      SidecarBlocks blocks = new SidecarBlocks(bucket, tmp.resolve("upload-" + name),
          UlidGenerator.system());
      for (int i = 0; i < count; i++) {
        blocks.upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 3);
      }
      return blocks;
    }
  }

  private static List<String> liveUlids(LocalS3Server s3, String name) throws IOException {
    try (S3Bucket bucket = S3Bucket.open(s3.options(name).build())) {
      List<String> out = new ArrayList<>();
      for (SyncedBlock b : MetaSync.builder(bucket).build().sync().blocks().values()) {
        if (b.deletionMark().isEmpty()) {
          out.add(b.meta().ulid().toString());
        }
      }
      out.sort(null);
      return out;
    }
  }

  // Read without the proxy: every sample once, every live block whole.
  private void assertWholeAndOnce(LocalS3Server s3, String name, SidecarBlocks uploaded)
      throws IOException {
    try (S3Bucket bucket = S3Bucket.open(s3.options(name).build())) {
      SidecarBlocks reader = new SidecarBlocks(bucket, tmp.resolve("read-" + name),
          UlidGenerator.system());
      assertEquals(uploaded.written(A), reader.readRaw(A));
      long stored = 0;
      for (SyncedBlock b : MetaSync.builder(bucket).build().sync().blocks().values()) {
        if (b.deletionMark().isEmpty()) {
          stored += b.meta().stats().numSamples();
          BlockVerifier.Report report = BlockVerifier.verify(bucket, b.meta().ulid(),
              tmp.resolve("verify-" + name));
          assertTrue(report.ok(), report.toString());
        }
      }
      assertEquals(uploaded.written(A).values().stream().mapToLong(Map::size).sum(), stored);
    }
  }
}
