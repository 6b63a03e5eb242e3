package dev.strata.tier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.block.Shipper;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tier.testing.RecordingBucket;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.testing.TempDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tsdb → blocks → shipper → bucket → BucketBlock queries: exactly the samples written. */
class BucketBlockTest {
  static final long H = TestTsdb.HOUR;
  static LocalS3Server server;
  static int buckets;
  TempDirectory tmp;
  Path dataDir;
  Map<Labels, TreeMap<Long, Double>> written;

  @BeforeAll
  static void startServer() {
    server = LocalS3Server.inMemory();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    tmp = TempDirectory.create("bucket-block");
    dataDir = tmp.path().resolve("tsdb");
    written = TestTsdb.levelOneBlocks(dataDir, 2, 300, 10, 15_000, 42);
  }

  @AfterEach
  void tearDown() {
    tmp.close();
  }

  BucketStore ship(Bucket bucket, BucketCaches caches) throws IOException {
    return ship(bucket, caches, BucketStoreOptions.builder(tmp.path()).build().gapBytes());
  }

  BucketStore ship(Bucket bucket, BucketCaches caches, long gapBytes) throws IOException {
    Shipper.builder(dataDir, bucket).externalLabels(Map.of("replica", "0")).build().sync();
    BucketStore store = BucketStore.open(bucket, BucketStoreOptions.builder(tmp.path().resolve("local"))
        .caches(caches).gapBytes(gapBytes)
        .seriesBatch(64).chunkBatch(50).build()); // small batches: many rounds
    assertEquals(4, store.sync().size());
    return store;
  }

  static final LabelMatcher[][] QUERIES = {
      {LabelMatcher.equal("__name__", "metric_3")},
      {LabelMatcher.equal("__name__", "metric_3"), LabelMatcher.equal("job", "api")},
      {LabelMatcher.regex("instance", "host-(1|7|29)")},
      {LabelMatcher.regex("__name__", "metric_[0-4]"), LabelMatcher.notEqual("job", "db")},
      {LabelMatcher.notRegex("__name__", "metric_[1-9]")},
      {LabelMatcher.equal("job", "api"), LabelMatcher.regex("instance", ".*-1.*")},
      {LabelMatcher.equal("nope", "x")},
      {LabelMatcher.equal("__name__", "metric_1"), LabelMatcher.equal("missing", "")},
  };

  void assertQueriesMatch(BucketStore store) {
    long[][] ranges = {{0, 20 * H}, {H + 1234, 3 * H - 7}, {9 * H, 9 * H}, {7 * H, 8 * H + 1}};
    for (long[] r : ranges) {
      for (LabelMatcher[] q : QUERIES) {
        try (Querier querier = store.querier(r[0], r[1])) {
          assertEquals(TestTsdb.expected(written, r[0], r[1], q), TestTsdb.read(querier, q),
              List.of(q) + " in " + r[0] + ".." + r[1]);
        }
      }
    }
  }

  @Test
  void queriesFromAFilesystemBucketReturnExactlyWhatWasWritten() throws IOException {
    try (Bucket bucket = FilesystemBucket.open(tmp.path().resolve("bucket"));
        BucketStore store = ship(bucket, BucketCaches.defaults())) {
      assertQueriesMatch(store);
      assertQueriesMatch(store); // warm caches give the same answers
      assertTrue(store.caches().hits() > 0);
    }
  }

  @Test
  void queriesFromS3ReturnExactlyWhatWasWritten() throws IOException {
    String name = "e2e-" + (++buckets);
    server.createBucket(name);
    try (Bucket bucket = dev.strata.tier.objstore.S3Bucket.open(server.options(name).build());
        BucketStore store = ship(bucket, BucketCaches.of(1 << 20, 1 << 20, 4 << 20))) {
      assertQueriesMatch(store);
    }
  }

  @Test
  void labelsAndSymbolsMatchTheLocalBlock() throws IOException {
    try (Bucket bucket = FilesystemBucket.open(tmp.path().resolve("bucket"));
        BucketStore store = ship(bucket, BucketCaches.none())) {
      for (BucketBlock bb : store.blocks()) {
        try (Block local = Block.open(BlockDirectories.path(dataDir, bb.ulid()));
            BlockReader lr = local.reader();
            BlockReader br = bb.reader()) {
          assertEquals(lr.labelNames(), br.labelNames());
          assertEquals(lr.labelValues("instance"), br.labelValues("instance"));
          LabelMatcher m = LabelMatcher.equal("__name__", "metric_2");
          assertEquals(lr.labelNames(m), br.labelNames(m));
          assertEquals(lr.labelValues("instance", m), br.labelValues("instance", m));
          List<String> a = new ArrayList<>();
          List<String> b = new ArrayList<>();
          lr.forEachSymbol(a::add);
          br.forEachSymbol(b::add);
          assertEquals(a, b);
          assertEquals(lr.minTime(), br.minTime());
          assertEquals(lr.maxTime(), br.maxTime());
        }
      }
    }
  }

  @Test
  void readsOnlyWhatAQueryNeeds() throws IOException {
    // No gap allowance: this block is small enough that the default one (64 KiB) would merge
    // the pages of ten scattered series into most of its chunk file.
    try (RecordingBucket bucket = new RecordingBucket(FilesystemBucket.open(tmp.path().resolve("bucket")));
        BucketStore store = ship(bucket, BucketCaches.defaults(), 0)) {
      BucketBlock block = store.blocks().get(0);
      long indexSize = Files.size(BlockDirectories.path(dataDir, block.ulid()).resolve("index"));
      bucket.clear();
      block.prepare();
      long header = bucket.bytesRead();
      assertTrue(header < indexSize, "index header fetched " + header + " of " + indexSize);
      assertEquals(0, bucket.rangeRequests() - 3, "TOC, symbols, postings table");
      bucket.clear();
      LabelMatcher m = LabelMatcher.equal("instance", "host-7");
      try (Querier q = new MergeQuerier(List.of(block.reader()), block.meta().minTime(), block.meta().maxTime())) {
        assertEquals(10, TestTsdb.read(q, m).size());
      }
      long cold = bucket.bytesRead();
      // Chunk files are read in whole pages: each series' chunks (a few KiB) lie in at most two
      // pages, and the estimated end of its last chunk may reach one more.
      long pages = 10 * 3L * ChunkPageCache.PAGE_SIZE;
      assertTrue(cold < block.sizeBytes() / 10 + pages,
          "a 10-series query of 300 fetched " + cold + " of " + block.sizeBytes() + ": " + bucket.ranges());
      // Without a gap allowance, a request per series entry and one per series' pages at most.
      assertTrue(bucket.rangeRequests() <= 3 + 2 * 10, "requests: " + bucket.rangeRequests() + ": " + bucket.ranges());
      bucket.clear();
      try (Querier q = new MergeQuerier(List.of(block.reader()), block.meta().minTime(), block.meta().maxTime())) {
        assertEquals(10, TestTsdb.read(q, m).size());
      }
      assertEquals(0, bucket.bytesRead(), "a warm query is served from the caches: " + bucket.ranges());
    }
  }

  @Test
  void localAndBucketBlocksMergeIntoOneResult() throws IOException {
    try (Bucket bucket = FilesystemBucket.open(tmp.path().resolve("bucket"));
        BucketStore store = ship(bucket, BucketCaches.defaults())) {
      List<BlockReader> readers = new ArrayList<>();
      List<Block> locals = new ArrayList<>();
      List<BucketBlock> remote = store.blocks();
      // Blocks 0 and 1 local, 1 to 3 from the bucket: block 1 is in both.
      for (int i = 0; i < 2; i++) {
        Block b = Block.open(BlockDirectories.path(dataDir, remote.get(i).ulid()));
        locals.add(b);
        readers.add(b.reader());
      }
      for (int i = 1; i < 4; i++) {
        readers.add(remote.get(i).reader());
      }
      LabelMatcher[] q = {LabelMatcher.regex("__name__", "metric_[0-5]")};
      try (Querier querier = new MergeQuerier(readers, 0, 20 * H)) {
        assertEquals(TestTsdb.expected(written, 0, 20 * H, q), TestTsdb.read(querier, q));
      }
      locals.forEach(Block::close);
    }
  }

  @Test
  void deletionsTravelWithTheBlock() throws IOException {
    LabelMatcher victim = LabelMatcher.equal("__name__", "metric_3");
    try (dev.strata.tsdb.Tsdb db = TestTsdb.open(dataDir)) {
      db.delete(H, 2 * H + 30 * 60_000, victim);
    }
    written.forEach((l, samples) -> {
      if (victim.matches(l)) {
        samples.subMap(H, true, 2 * H + 30 * 60_000, true).clear();
      }
    });
    try (RecordingBucket bucket = new RecordingBucket(FilesystemBucket.open(tmp.path().resolve("bucket")));
        BucketStore store = ship(bucket, BucketCaches.defaults())) {
      assertTrue(bucket.uploads().stream().anyMatch(k -> k.endsWith("/tombstones")), bucket.uploads().toString());
      LabelMatcher[] q = {LabelMatcher.regex("__name__", "metric_[234]")};
      try (Querier querier = store.querier(0, 20 * H)) {
        assertEquals(TestTsdb.expected(written, 0, 20 * H, q), TestTsdb.read(querier, q));
      }
    }
  }

  @Test
  void aCorruptChunkInTheBucketIsReportedNotReturned() throws IOException {
    try (Bucket bucket = FilesystemBucket.open(tmp.path().resolve("bucket"));
        BucketStore store = ship(bucket, BucketCaches.defaults())) {
      BucketBlock block = store.blocks().get(0);
      Path seg = ((FilesystemBucket) bucket).root().resolve(block.ulid() + "/chunks/000001");
      byte[] bytes = Files.readAllBytes(seg);
      for (int i = 100; i < bytes.length; i += 97) {
        bytes[i] ^= 0x5a;
      }
      Files.write(seg, bytes);
      try (Querier q = new MergeQuerier(List.of(block.reader()), 0, 20 * H)) {
        assertThrows(CorruptDataException.class,
            () -> TestTsdb.read(q, LabelMatcher.regex("__name__", ".+")));
      }
    }
  }
}
