package dev.strata.tier.storeapi;

import static dev.strata.tier.storeapi.BucketFixture.END;
import static dev.strata.tier.storeapi.BucketFixture.EU_A;
import static dev.strata.tier.storeapi.BucketFixture.EU_B;
import static dev.strata.tier.storeapi.BucketFixture.H;
import static dev.strata.tier.storeapi.BucketFixture.US;
import static dev.strata.tier.storeapi.BucketServer.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.block.DeletionMark;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.storeapi.BucketFixture.LocalBlock;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.ZLabelSet;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket that changes under a running {@link BucketStoreSource}: uploads, deletion marks, and
 * objects that are damaged or gone. The blocks are written once; each test uploads the ones it
 * needs to a bucket of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketStoreSourceChangesTest {
  private static final LabelMatcher ANY = LabelMatcher.regex("__name__", ".+");

  private BucketFixture data;

  @BeforeAll
  void writeBlocks(@TempDir Path dir) throws IOException {
    data = BucketFixture.create(dir);
  }

  @Test
  void aBlockUploadedAfterStartIsServedAfterTheNextSync(@TempDir Path dir) throws IOException {
    try (Bucket bucket = FilesystemBucket.open(dir.resolve("bucket"))) {
      BucketFixture.upload(bucket, List.of(data.raw1));
      try (BucketServer gateway = BucketServer.start(bucket, dir.resolve("local"), Duration.ZERO)) {
        assertEquals(List.of(set(EU_A)), gateway.info().getLabelSetsList());
        BucketFixture.upload(bucket, List.of(data.us));
        assertEquals(0, usOnly(gateway), "not synced yet");

        gateway.store.sync();
        assertEquals(List.of(set(EU_A), set(US)), gateway.info().getLabelSetsList());
        assertEquals(1, usOnly(gateway));
      }
    }
  }

  @Test
  void aBlockMarkedForDeletionGoesOnceTheDelayHasPassed(@TempDir Path dir) throws IOException {
    try (Bucket bucket = FilesystemBucket.open(dir.resolve("bucket"))) {
      BucketFixture.upload(bucket, List.of(data.raw1, data.replicaB));
      try (BucketServer now = BucketServer.start(bucket, dir.resolve("now"), Duration.ZERO);
          BucketServer later =
              BucketServer.start(bucket, dir.resolve("later"), Duration.ofHours(1))) {
        assertEquals(List.of(set(EU_A), set(EU_B)), now.info().getLabelSetsList());

        new BucketBlocks(bucket).markForDeletion(data.replicaB.meta().ulid(), "compacted");
        now.store.sync();
        later.store.sync();
        assertEquals(List.of(set(EU_A)), now.info().getLabelSetsList());
        assertEquals(0, replicaB(now));
        assertEquals(List.of(set(EU_A), set(EU_B)), later.info().getLabelSetsList());
        assertEquals(8, replicaB(later), "marked less than an hour ago: still served");

        // Two hours ago, then.
        long twoHoursAgo = Instant.now().minus(Duration.ofHours(2)).getEpochSecond();
        bucket.upload(data.replicaB.ulid() + "/" + DeletionMark.FILE_NAME,
            new DeletionMark(data.replicaB.meta().ulid(), twoHoursAgo, "compacted").encode());
        later.store.sync();
        assertEquals(List.of(set(EU_A)), later.info().getLabelSetsList());
        assertEquals(0, replicaB(later));
      }
    }
  }

  @Test
  void aCorruptChunkSegmentFailsTheCallOrBecomesAWarning(@TempDir Path dir) throws IOException {
    withTwoBlocks(dir, data.raw2, bucket -> {
      String key = data.raw2.ulid() + "/chunks/000001";
      byte[] segment = bucket.readAll(key);
      segment[segment.length / 2] ^= 0x55;
      bucket.upload(key, segment);
    }, gateway -> {
      StoreApiException e = assertThrows(StoreApiException.class, () -> readAll(gateway));
      assertEquals(Status.Code.ABORTED, e.code());
      assertTrue(e.getMessage().contains("block " + data.raw2.ulid()), e.getMessage());
      assertTrue(e.getMessage().contains(data.raw2.ulid() + "/chunks/000001"), e.getMessage());
      assertTrue(e.getMessage().contains("at offset"), e.getMessage());
      assertWarnsAndServesTheRest(gateway, data.raw2.ulid() + "/chunks/000001");
    });
  }

  @Test
  void aMissingIndexFailsTheCallOrBecomesAWarning(@TempDir Path dir) throws IOException {
    withTwoBlocks(dir, data.raw2, bucket -> bucket.delete(data.raw2.ulid() + "/index"), gateway -> {
      StoreApiException e = assertThrows(StoreApiException.class, () -> readAll(gateway));
      assertEquals(Status.Code.ABORTED, e.code());
      assertTrue(e.getMessage().contains("block " + data.raw2.ulid()), e.getMessage());
      assertTrue(e.getMessage().contains(data.raw2.ulid() + "/index"), e.getMessage());
      assertWarnsAndServesTheRest(gateway, data.raw2.ulid() + "/index");
    });
  }

  // ---- helpers ----

  @FunctionalInterface
  private interface BucketChange {
    void apply(Bucket bucket) throws IOException;
  }

  /** Serves raw1 and {@code damaged}, damaged by {@code change} before anything reads it. */
  private void withTwoBlocks(Path dir, LocalBlock damaged, BucketChange change,
      Consumer<BucketServer> check) throws IOException {
    try (Bucket bucket = FilesystemBucket.open(dir.resolve("bucket"))) {
      BucketFixture.upload(bucket, List.of(data.raw1, damaged));
      change.apply(bucket);
      try (BucketServer gateway = BucketServer.start(bucket, dir.resolve("local"), Duration.ZERO)) {
        check.accept(gateway);
      }
    }
  }

  /** Under WARN: one warning naming the block and the object, and raw1's series in full. */
  private void assertWarnsAndServesTheRest(BucketServer gateway, String object) {
    List<String> warnings = new ArrayList<>();
    List<Labels> series = new ArrayList<>();
    for (SeriesResponse f : gateway.frames(request(0, END, ANY)
        .setPartialResponseStrategy(PartialResponseStrategy.WARN).build())) {
      if (f.hasWarning()) {
        warnings.add(f.getWarning());
        continue;
      }
      series.add(ProtoLabels.fromProto(f.getSeries().getLabelsList()));
      // The answer is streamed: chunks the damaged block gave before it failed may be in it.
      assertTrue(f.getSeries().getChunksList().stream().anyMatch(c -> c.getMaxTime() < 24 * H),
          "the healthy block's chunks");
    }
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).startsWith("block " + data.raw2.ulid()), warnings.get(0));
    assertTrue(warnings.get(0).contains(object), warnings.get(0));
    assertEquals(8, series.size());
  }

  private static void readAll(BucketServer gateway) {
    try (StoreClient client = gateway.client(0, END)) {
      TestTsdb.read(client, ANY);
    }
  }

  private static int usOnly(BucketServer gateway) {
    try (StoreClient client = gateway.client(0, END)) {
      return TestTsdb.read(client, LabelMatcher.equal("__name__", "us_only")).size();
    }
  }

  private static int replicaB(BucketServer gateway) {
    try (StoreClient client = gateway.client(0, END)) {
      return TestTsdb.read(client, LabelMatcher.equal("replica", "b"), ANY).size();
    }
  }

  private static ZLabelSet set(Labels l) {
    return ProtoLabels.toLabelSet(l);
  }
}
