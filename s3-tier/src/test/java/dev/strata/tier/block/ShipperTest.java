package dev.strata.tier.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.objstore.S3Bucket;
import dev.strata.tier.testing.FaultProxy;
import dev.strata.tier.testing.FaultProxy.Fault;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tier.testing.RecordingBucket;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.testing.ChildJvm;
import dev.strata.tsdb.testing.TempDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

class ShipperTest {
  static LocalS3Server server;
  TempDirectory tmp;
  Path dataDir;

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
    tmp = TempDirectory.create("shipper");
    dataDir = tmp.path().resolve("tsdb");
    TestTsdb.levelOneBlocks(dataDir, 2, 30, 5, 30_000, 7);
  }

  @AfterEach
  void tearDown() {
    tmp.close();
  }

  Set<Ulid> localBlocks() throws IOException {
    Set<Ulid> out = new TreeSet<>();
    BlockDirectories.list(dataDir).forEach(d -> out.add(d.ulid()));
    return out;
  }

  /** A bucket never shows a block whose meta.json exists but whose files are missing. */
  static void assertConsistent(Bucket bucket) throws IOException {
    BucketBlocks blocks = new BucketBlocks(bucket);
    for (BucketListing.Dir d : blocks.list().blocks().values()) {
      if (!d.hasMeta()) {
        continue;
      }
      BlockMeta meta = blocks.meta(d.id()).orElseThrow();
      Map<String, Long> files = blocks.files(d.id());
      for (ThanosMeta.File f : meta.thanos().orElseThrow().files()) {
        assertTrue(files.containsKey(f.relPath()), d.id() + " lacks " + f.relPath());
        if (f.sizeBytes() > 0) {
          assertEquals(f.sizeBytes(), files.get(f.relPath()), d.id() + "/" + f.relPath());
        }
      }
    }
  }

  @Test
  void refusesToRunWithoutExternalLabels() throws IOException {
    try (Bucket b = FilesystemBucket.open(tmp.path().resolve("b"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Shipper.builder(dataDir, b).build());
      assertTrue(e.getMessage().contains("external labels"), e.getMessage());
    }
  }

  @Test
  void shipsEachLevelOneBlockOnce() throws IOException {
    Set<Ulid> local = localBlocks();
    assertEquals(4, local.size());
    try (RecordingBucket b = new RecordingBucket(FilesystemBucket.open(tmp.path().resolve("b")));
        Shipper s = Shipper.builder(dataDir, b).externalLabels(Map.of("cluster", "eu", "replica", "0")).build()) {
      assertEquals(4, s.sync());
      assertEquals(local, s.uploaded());
      assertEquals(0, s.sync());
      assertEquals(4 * 3, b.uploads().size(), "each block once: chunks, index, meta.json");
      String state = Files.readString(dataDir.resolve(ShipperState.FILE_NAME), StandardCharsets.UTF_8);
      assertTrue(state.startsWith("{\n\t\"version\": 1,\n\t\"uploaded\": [\n\t\t\""), state);
      for (Ulid id : local) {
        BlockMeta m = new BucketBlocks(b).meta(id).orElseThrow();
        assertEquals(Map.of("cluster", "eu", "replica", "0"), m.thanos().orElseThrow().labels());
        assertEquals("sidecar", m.thanos().orElseThrow().source());
      }
      assertTrue(Files.notExists(dataDir.resolve(Shipper.UPLOAD_DIR).resolve(local.iterator().next().toString())));

      // Without the progress file, blocks already in the bucket are recorded, not uploaded again.
      Files.delete(dataDir.resolve(ShipperState.FILE_NAME));
      b.clear();
      assertEquals(0, s.sync());
      assertEquals(List.of(), b.uploads());
      assertEquals(local, s.uploaded());
    }
  }

  @Test
  void newBlocksOfARunningTsdbAreShippedAsTheyAppear() throws IOException {
    try (Bucket b = FilesystemBucket.open(tmp.path().resolve("b"))) {
      Shipper s = Shipper.builder(dataDir, b).externalLabels(Map.of("replica", "0")).build();
      assertEquals(4, s.sync());
      try (Tsdb db = TestTsdb.open(dataDir)) {
        TestTsdb.fill(db, 30, 5, 16 * TestTsdb.HOUR, 21 * TestTsdb.HOUR, 30_000, 8);
        assertEquals(1, s.sync());
      }
      for (BlockDirectories.BlockDirectory d : BlockDirectories.list(dataDir)) {
        BlockMeta m = dev.strata.tsdb.block.BlockMetaFile.read(d.path());
        assertEquals(m.compaction().level() == 1, s.uploaded().contains(d.ulid()), d.ulid().toString());
      }
      assertEquals(5, new BucketBlocks(b).list().blocks().size());
    }
  }

  @Test
  void uploadsThroughFaultsStayConsistentAndComplete(TestReporter report) throws IOException {
    server.createBucket("faulty");
    try (FaultProxy proxy = new FaultProxy(server.port());
        S3Bucket b = S3Bucket.open(server.options("faulty", proxy.endpoint()).maxRetries(1).build());
        S3Bucket direct = S3Bucket.open(server.options("faulty").build())) {
      Random random = new Random(3);
      proxy.plan(r -> switch (random.nextInt(6)) {
        case 0 -> Fault.SLOW_DOWN;
        case 1 -> Fault.DROP_MID_REQUEST;
        default -> Fault.PASS;
      });
      Shipper s = Shipper.builder(dataDir, b).externalLabels(Map.of("replica", "0")).build();
      int failures = 0;
      for (int attempt = 0; attempt < 50 && !s.uploaded().equals(localBlocks()); attempt++) {
        try {
          s.sync();
        } catch (IOException e) {
          failures++;
        }
        assertConsistent(direct);
      }
      assertEquals(localBlocks(), s.uploaded());
      assertTrue(proxy.faults() > 0);
      assertConsistent(direct);
      assertEquals(4, new BucketBlocks(direct).list().blocks().values().stream().filter(BucketListing.Dir::hasMeta).count());
      report.publishEntry("sync failures survived", failures + ", faults injected: " + proxy.faults());
    }
  }

  @Test
  void aFailedUploadRemovesWhatWentUpOfTheBlock() throws IOException {
    try (Bucket fs = FilesystemBucket.open(tmp.path().resolve("b"))) {
      // A bucket whose index uploads fail: the chunks of the first block go up, then nothing.
      Bucket failing = new dev.strata.tier.objstore.ForwardingBucket(fs) {
        @Override
        public void upload(String key, Path file) throws IOException {
          if (key.endsWith("/index")) {
            throw new IOException("injected failure uploading " + key);
          }
          super.upload(key, file);
        }

        @Override
        public void upload(String key, java.io.InputStream in, long length) throws IOException {
          if (key.endsWith("/index")) {
            throw new IOException("injected failure uploading " + key);
          }
          super.upload(key, in, length);
        }
      };
      Shipper s = Shipper.builder(dataDir, failing).externalLabels(Map.of("replica", "0")).build();
      IOException e = assertThrows(IOException.class, s::sync);
      assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
      assertEquals(0, new BucketBlocks(fs).list().blocks().size(), "nothing of the block is left");
      assertEquals(Set.of(), s.uploaded());

      Shipper working = Shipper.builder(dataDir, fs).externalLabels(Map.of("replica", "0")).build();
      assertEquals(4, working.sync());
      assertConsistent(fs);
    }
  }

  @Test
  void aShipperKilledMidUploadResumesWithoutSkippingOrRepeating() throws Exception {
    server.createBucket("killed");
    Map<Ulid, String> completeAtKill = new TreeMap<>();
    boolean sawPartial = false;
    try (FaultProxy slow = new FaultProxy(server.port());
        S3Bucket direct = S3Bucket.open(server.options("killed").build())) {
      slow.delay(Duration.ofMillis(120)).plan(r -> Fault.DELAY);
      Process child = startChild(slow.endpoint().toString(), "killed");
      try {
        BucketBlocks blocks = new BucketBlocks(direct);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && child.isAlive()) {
          var dirs = blocks.list().blocks().values();
          boolean complete = dirs.stream().anyMatch(BucketListing.Dir::hasMeta);
          boolean partial = dirs.stream().anyMatch(d -> !d.hasMeta());
          if (complete && partial) {
            sawPartial = true;
            break;
          }
          Thread.sleep(10);
        }
        child.destroyForcibly(); // SIGKILL
        child.waitFor(30, TimeUnit.SECONDS);
      } finally {
        child.destroyForcibly();
      }
      assertTrue(sawPartial, "the child was killed while a block was half uploaded; its log:\n"
          + Files.readString(tmp.path().resolve("child.log")));
      assertConsistent(direct);
      BucketBlocks blocks = new BucketBlocks(direct);
      for (BucketListing.Dir d : blocks.list().blocks().values()) {
        if (d.hasMeta()) {
          completeAtKill.put(d.id(), uploadTime(blocks, d.id()));
        }
      }
      assertTrue(completeAtKill.size() < 4);

      try (Shipper restarted = Shipper.builder(dataDir, direct).externalLabels(Map.of("replica", "a")).build()) {
        int shipped = restarted.sync();
        assertEquals(localBlocks(), restarted.uploaded());
        assertTrue(shipped <= 4 - completeAtKill.size(), "shipped " + shipped);
        assertEquals(0, restarted.sync());
      }
      assertConsistent(direct);
      for (Map.Entry<Ulid, String> e : completeAtKill.entrySet()) {
        assertEquals(e.getValue(), uploadTime(blocks, e.getKey()), "block " + e.getKey() + " was not uploaded again");
      }
      long complete = blocks.list().blocks().values().stream().filter(BucketListing.Dir::hasMeta).count();
      assertEquals(4, complete);
      assertEquals(4, blocks.list().blocks().size(), "no partial upload is left");
    }
  }

  static String uploadTime(BucketBlocks blocks, Ulid id) throws IOException {
    return blocks.meta(id).orElseThrow().thanos().orElseThrow().extra().get("upload_time").asText();
  }

  Process startChild(String endpoint, String bucket) throws IOException {
    List<String> cmd =
        ChildJvm.command(tmp.path().resolve("child-tmp"), ShipperChild.class, dataDir.toString(),
            endpoint, bucket);
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.path().resolve("child.log").toFile()).start();
  }
}
