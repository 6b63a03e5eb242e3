package dev.strata.tier.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.RecordingBucket;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.testing.TempDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BucketBlocksTest {
  TempDirectory tmp;
  RecordingBucket bucket;
  Path dataDir;
  List<BlockDirectories.BlockDirectory> local;

  @BeforeEach
  void setUp() throws Exception {
    tmp = TempDirectory.create("bucket-blocks");
    bucket = new RecordingBucket(FilesystemBucket.open(tmp.path().resolve("bucket")));
    dataDir = tmp.path().resolve("tsdb");
    try (Tsdb db = TestTsdb.open(dataDir)) {
      TestTsdb.fill(db, 20, 4, 0, 7 * TestTsdb.HOUR, 15_000, 1);
    }
    local = BlockDirectories.list(dataDir);
    assertTrue(local.size() >= 2, "blocks: " + local.size());
  }

  @AfterEach
  void tearDown() {
    bucket.close();
    tmp.close();
  }

  @Test
  void uploadsDataFirstAndMetaLastWithTheThanosSection() throws Exception {
    BucketBlocks blocks = new BucketBlocks(bucket);
    Path dir = local.get(0).path();
    Ulid id = local.get(0).ulid();
    BlockMeta up = blocks.upload(dir, new ThanosMeta(Map.of("cluster", "eu", "replica", "a"), 0, "sidecar"));
    List<String> order = bucket.uploads();
    assertEquals(List.of(id + "/chunks/000001", id + "/index", id + "/meta.json"), order);

    BlockMeta meta = blocks.meta(id).orElseThrow();
    assertEquals(up, meta);
    ThanosMeta t = meta.thanos().orElseThrow();
    assertEquals(Map.of("cluster", "eu", "replica", "a"), t.labels());
    assertEquals("sidecar", t.source());
    assertEquals(List.of("000001"), t.segmentFiles());
    assertEquals(List.of("chunks/000001", "index", "meta.json"),
        t.files().stream().map(ThanosMeta.File::relPath).toList());
    assertEquals(Files.size(dir.resolve("index")), t.files().get(1).sizeBytes());
    assertEquals(0, t.files().get(2).sizeBytes());
    IndexStats stats = IndexStats.of(t).orElseThrow();
    assertTrue(stats.seriesMaxSize() > 10 && stats.chunkMaxSize() > 10, stats.toString());

    JsonNode json = new ObjectMapper().readTree(bucket.readAll(id + "/meta.json"));
    assertEquals(1, json.path("thanos").path("version").asInt());
    assertEquals(0, json.path("thanos").path("downsample").path("resolution").asInt());
    assertTrue(json.path("thanos").path("upload_time").isTextual());
    assertEquals(Map.of("chunks/000001", Files.size(dir.resolve("chunks/000001")),
        "index", Files.size(dir.resolve("index")), "meta.json", (long) bucket.readAll(id + "/meta.json").length),
        blocks.files(id));

    assertThrows(IllegalArgumentException.class,
        () -> blocks.upload(dir, new ThanosMeta(Map.of(), 0, "sidecar")));
  }

  @Test
  void filesMovedSeveralAtATimeArriveWholeWithMetaStillLast() throws Exception {
    BucketBlocks blocks = new BucketBlocks(bucket, Clock.systemUTC(), 4);
    for (BlockDirectories.BlockDirectory d : local) {
      blocks.upload(d.path(), new ThanosMeta(Map.of("cluster", "eu"), 0, "sidecar"));
      List<String> order = bucket.uploads();
      assertEquals(d.ulid() + "/meta.json", order.get(order.size() - 1), order.toString());
      assertEquals(3, order.stream().filter(k -> k.startsWith(d.ulid() + "/")).count(), order.toString());

      Path back = tmp.path().resolve("back").resolve(d.ulid().toString());
      long bytes = blocks.download(d.ulid(), back);
      for (String rel : List.of("chunks/000001", "index")) {
        assertEquals(-1L, Files.mismatch(d.path().resolve(rel), back.resolve(rel)), rel);
      }
      assertEquals(Files.size(d.path().resolve("chunks/000001")) + Files.size(d.path().resolve("index"))
          + Files.size(back.resolve("meta.json")), bytes);
    }
  }

  @Test
  void markersHaveThanosShape() throws Exception {
    Ulid id = local.get(0).ulid();
    BucketBlocks blocks = new BucketBlocks(bucket, Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC));
    blocks.markForDeletion(id, "");
    assertEquals("{\"id\":\"" + id + "\",\"version\":1,\"deletion_time\":1700000000}",
        new String(bucket.readAll(id + "/deletion-mark.json")));
    blocks.markNoCompact(id, NoCompactMark.MANUAL, "too big");
    assertEquals("{\"id\":\"" + id + "\",\"version\":1,\"details\":\"too big\",\"no_compact_time\":1700000000,\"reason\":\"manual\"}",
        new String(bucket.readAll(id + "/no-compact-mark.json")));
    assertEquals(new DeletionMark(id, 1_700_000_000, ""), blocks.deletionMark(id).orElseThrow());
    assertEquals("too big", blocks.noCompactMark(id).orElseThrow().details());
  }

  @Test
  void deletionWaitsForTheDelayAndPartialUploadsAreCleanedUp() throws Exception {
    Instant t0 = Instant.now();
    BucketBlocks now = new BucketBlocks(bucket, Clock.fixed(t0, ZoneOffset.UTC));
    Ulid a = local.get(0).ulid();
    Ulid b = local.get(1).ulid();
    now.upload(local.get(0).path(), new ThanosMeta(Map.of("r", "1"), 0, "test"));
    now.upload(local.get(1).path(), new ThanosMeta(Map.of("r", "1"), 0, "test"));
    now.markForDeletion(a, "replaced");
    // A partial upload: data without meta.json.
    Ulid partial = Ulid.of(1, 2, 3);
    bucket.upload(partial + "/index", new byte[10]);

    BucketBlocks.CleanupResult early = now.cleanUp(Duration.ofHours(1), Duration.ofHours(1));
    assertEquals(List.of(), early.deleted());
    assertEquals(List.of(), early.partialUploads());

    BucketBlocks later = new BucketBlocks(bucket, Clock.fixed(t0.plus(Duration.ofHours(2)), ZoneOffset.UTC));
    BucketBlocks.CleanupResult done = later.cleanUp(Duration.ofHours(1), Duration.ofHours(1));
    assertEquals(List.of(a), done.deleted());
    assertEquals(List.of(partial), done.partialUploads());
    assertTrue(later.files(a).isEmpty());
    assertTrue(later.files(partial).isEmpty());
    assertFalse(later.files(b).isEmpty());
    assertEquals(List.of(b), List.copyOf(later.list().blocks().keySet()));
  }

  @Test
  void metaSyncFiltersAndCaches() throws Exception {
    BucketBlocks blocks = new BucketBlocks(bucket);
    for (int i = 0; i < local.size(); i++) {
      blocks.upload(local.get(i).path(),
          new ThanosMeta(Map.of("cluster", i % 2 == 0 ? "eu" : "us"), 0, "sidecar"));
    }
    blocks.markForDeletion(local.get(0).ulid(), "");
    bucket.upload(Ulid.of(5, 5, 5) + "/chunks/000001", new byte[3]);
    Path cache = tmp.path().resolve("meta-cache");
    MetaSync all = MetaSync.builder(bucket).cacheDir(cache).build();
    MetaSync.Result r = all.sync();
    assertEquals(local.size(), r.blocks().size());
    assertEquals(List.of(Ulid.of(5, 5, 5)), List.copyOf(r.partial()));
    assertTrue(r.blocks().get(local.get(0).ulid()).deletionMark().isPresent());
    assertTrue(Files.exists(cache.resolve(local.get(1).ulid().toString()).resolve("meta.json")));

    // Cached metas are not fetched again.
    bucket.clear();
    all.sync();
    assertEquals(0, bucket.bytesRead() - bucket.readAll(local.get(0).ulid() + "/deletion-mark.json").length);

    MetaSync eu = MetaSync.builder(bucket).filter(BlockFilter.externalLabels(Map.of("cluster", "eu")))
        .filter(BlockFilter.notDeleted(Duration.ZERO)).build();
    MetaSync.Result er = eu.sync();
    for (SyncedBlock s : er.blocks().values()) {
      assertEquals("eu", s.meta().thanos().orElseThrow().labels().get("cluster"));
      assertTrue(s.deletionMark().isEmpty());
    }
    assertFalse(er.blocks().containsKey(local.get(0).ulid()));
    BlockMeta first = r.metasByTime().get(0);
    MetaSync timed = MetaSync.builder(bucket).filter(BlockFilter.timeRange(first.minTime(), first.minTime())).build();
    assertEquals(List.of(first.ulid()), List.copyOf(timed.sync().blocks().keySet()));
    assertEquals(0, MetaSync.builder(bucket).filter(BlockFilter.resolution(300_000)).build().sync().blocks().size());

    // Blocks gone from the bucket leave the cache.
    blocks.delete(local.get(1).ulid());
    all.sync();
    assertFalse(Files.exists(cache.resolve(local.get(1).ulid().toString())));

    // ... but only what the cache wrote: a file of someone else's in such a directory stays.
    Path stranger = cache.resolve(local.get(0).ulid().toString());
    Files.writeString(stranger.resolve("notes.txt"), "keep");
    blocks.delete(local.get(0).ulid());
    all.sync();
    assertFalse(Files.exists(stranger.resolve("meta.json")));
    assertEquals("keep", Files.readString(stranger.resolve("notes.txt")));
  }
}
