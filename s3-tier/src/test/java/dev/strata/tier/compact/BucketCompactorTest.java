package dev.strata.tier.compact;

import static dev.strata.tier.testing.SidecarBlocks.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.block.MetaSync;
import dev.strata.tier.block.SyncedBlock;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.SidecarBlocks;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.VerticalMerge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BucketCompactor} on a filesystem bucket of blocks as sidecars upload them. After a pass,
 * every sample uploaded is served exactly once (the live raw blocks of a stream do not overlap and
 * hold as many samples as were uploaded), the levels follow Thanos's planner, and what was merged
 * is marked for deletion.
 */
class BucketCompactorTest {
  private static final Map<String, String> A = Map.of("cluster", "a", "replica", "0");
  private static final Map<String, String> B = Map.of("cluster", "b", "replica", "0");
  // Blocks in the past, so that their ULIDs' time says nothing about their data.
  private static final long T0 = 100 * 24 * HOUR;

  @TempDir Path tmp;

  private FilesystemBucket bucket() throws Exception {
    return FilesystemBucket.open(tmp.resolve("bucket"));
  }

  private static CompactorOptions.Builder options(Path scratch) {
    return CompactorOptions.builder(scratch).consistencyDelay(Duration.ZERO);
  }

  /** The blocks not marked for deletion. */
  private static List<BlockMeta> live(FilesystemBucket bucket) throws Exception {
    List<BlockMeta> out = new ArrayList<>();
    for (SyncedBlock b : MetaSync.builder(bucket).build().sync().blocks().values()) {
      if (b.deletionMark().isEmpty()) {
        out.add(b.meta());
      }
    }
    out.sort((x, y) -> Long.compare(x.minTime(), y.minTime()));
    return out;
  }

  private static List<BlockMeta> liveRaw(FilesystemBucket bucket, Map<String, String> labels)
      throws Exception {
    return live(bucket).stream()
        .filter(m -> m.thanos().orElseThrow().labels().equals(labels))
        .filter(m -> m.thanos().orElseThrow().downsampleResolution() == 0)
        .toList();
  }

  /** Each sample of the stream once: as uploaded, in blocks that do not overlap. */
  private static void assertEverySampleOnce(FilesystemBucket bucket, SidecarBlocks fixture,
      Map<String, String> labels) throws Exception {
    assertEquals(fixture.written(labels), fixture.readRaw(labels));
    List<BlockMeta> blocks = liveRaw(bucket, labels);
    long stored = blocks.stream().mapToLong(m -> m.stats().numSamples()).sum();
    long uploaded = fixture.written(labels).values().stream().mapToLong(Map::size).sum();
    assertEquals(uploaded, stored, "samples in the live blocks: " + blocks);
    for (int i = 1; i < blocks.size(); i++) {
      assertTrue(blocks.get(i).minTime() >= blocks.get(i - 1).maxTime(),
          "overlap: " + blocks.get(i - 1) + " and " + blocks.get(i));
    }
  }

  @Test
  void twoStreamsOfTwoHourBlocksBecomeThanosLevelsWithEverySampleOnce() throws Exception {
    try (FilesystemBucket bucket = bucket()) {
      SidecarBlocks fixture = new SidecarBlocks(bucket, tmp, UlidGenerator.system());
      for (int i = 0; i < 12; i++) {
        fixture.upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 6);
        fixture.upload(B, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 4);
      }
      // The two streams' groups compacted at once.
      BucketCompactor compactor = new BucketCompactor(bucket, options(tmp.resolve("scratch"))
          .downsampling(false).compactConcurrency(2).build());
      BucketCompactor.Pass pass = compactor.run();
      assertFalse(pass.compacted().isEmpty());
      for (Map<String, String> stream : List.of(A, B)) {
        assertEverySampleOnce(bucket, fixture, stream);
        List<BlockMeta> blocks = liveRaw(bucket, stream);
        // Thanos's planner fills the 8h windows [0, 8h) and [8h, 16h). The third waits: leaving
        // out the newest block, its blocks end after the second newest starts, and they do not
        // span the window.
        assertEquals(6, blocks.size(), blocks.toString());
        for (int i = 0; i < 6; i++) {
          BlockMeta b = blocks.get(i);
          boolean merged = i < 2;
          assertEquals(merged ? 8 * HOUR : 2 * HOUR, b.maxTime() - b.minTime(), b.toString());
          assertEquals(merged ? 2 : 1, b.compaction().level(), b.toString());
          assertEquals(merged ? ThanosMeta.SOURCE_COMPACTOR : ThanosMeta.SOURCE_SIDECAR,
              b.thanos().orElseThrow().source());
          assertEquals(stream, b.thanos().orElseThrow().labels());
        }
      }
      // The sources are marked, not yet deleted (48h delete delay).
      assertEquals(pass.markedForDeletion().size(),
          pass.compacted().stream().mapToInt(m -> m.compaction().parents().size()).sum());
      assertTrue(pass.deleted().isEmpty());
      // Nothing is left to do.
      BucketCompactor.Pass again = compactor.run();
      assertTrue(again.compacted().isEmpty(), again.toString());
      assertTrue(again.markedForDeletion().isEmpty(), again.toString());
    }
  }

  @Test
  void overlappingBlocksHaltTheCompactorUnlessVerticalCompactionIsOn() throws Exception {
    try (FilesystemBucket bucket = bucket()) {
      SidecarBlocks fixture = new SidecarBlocks(bucket, tmp, UlidGenerator.system());
      for (int i = 0; i < 4; i++) {
        fixture.upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 3);
      }
      BlockMeta stray = fixture.upload(A, T0 + HOUR, T0 + 3 * HOUR, 3);
      CompactionHaltedException halted = assertThrows(CompactionHaltedException.class,
          () -> new BucketCompactor(bucket, options(tmp.resolve("scratch")).build()).run());
      assertTrue(halted.getMessage().contains("overlap"), halted.getMessage());
      assertTrue(halted.getMessage().contains(stray.ulid().toString()), halted.getMessage());
      assertTrue(halted.getMessage().contains("cluster=\"a\""), halted.getMessage());
      assertEquals(5, live(bucket).size(), "nothing was touched");

      BucketCompactor.Pass pass = new BucketCompactor(bucket, options(tmp.resolve("scratch"))
          .verticalCompaction(true).build()).run();
      assertFalse(pass.compacted().isEmpty());
      assertEverySampleOnce(bucket, fixture, A);
    }
  }

  @Test
  void replicaLabelsMergeReplicasIntoBlocksOfTheGroupsLabels() throws Exception {
    try (FilesystemBucket bucket = bucket()) {
      SidecarBlocks fixture = new SidecarBlocks(bucket, tmp, UlidGenerator.system());
      Map<String, String> replicaB = Map.of("cluster", "a", "replica", "1");
      for (int i = 0; i < 4; i++) {
        fixture.upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 3);
        fixture.upload(replicaB, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 3);
      }
      // Replica labels turn vertical compaction on, as in Thanos.
      BucketCompactor.Pass pass = new BucketCompactor(bucket, options(tmp.resolve("scratch"))
          .replicaLabels(Set.of("replica")).verticalMerge(VerticalMerge.PENALTY).build()).run();
      assertFalse(pass.compacted().isEmpty());
      for (BlockMeta b : pass.compacted()) {
        assertEquals(Map.of("cluster", "a"), b.thanos().orElseThrow().labels());
      }
      // The replicas scraped the same samples: the merged blocks hold them once.
      SidecarBlocks reader = new SidecarBlocks(bucket, tmp.resolve("read"), UlidGenerator.system());
      assertEquals(fixture.written(A), reader.readRaw(Map.of("cluster", "a")));
      long stored = liveRaw(bucket, Map.of("cluster", "a")).stream()
          .mapToLong(m -> m.stats().numSamples()).sum();
      assertEquals(fixture.written(A).values().stream().mapToLong(Map::size).sum(), stored,
          "one replica's samples, once");
      assertTrue(liveRaw(bucket, A).isEmpty() && liveRaw(bucket, replicaB).isEmpty(),
          "every replica block merged");
    }
  }

  @Test
  void aCompactionThatDiedBeforeMarkingItsSourcesIsFinishedByTheNextPass() throws Exception {
    try (FilesystemBucket bucket = bucket()) {
      SidecarBlocks fixture = new SidecarBlocks(bucket, tmp, UlidGenerator.system());
      List<BlockMeta> sources = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        sources.add(fixture.upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 3));
      }
      // A compaction of the first four uploaded its block and died: the sources are unmarked.
      GroupCompactor group = new GroupCompactor(new BucketBlocks(bucket), tmp.resolve("g"),
          false, VerticalMerge.ONE_TO_ONE, UlidGenerator.system(), 2);
      CompactionGroup all = CompactionGroup.of(
          MetaSync.builder(bucket).build().sync().blocks().values(), Set.of()).get(0);
      GroupCompactor.Outcome outcome = group.compact(all, id -> false);
      BlockMeta merged = outcome.created().get(0);
      for (Ulid source : merged.compaction().sources()) {
        bucket.delete(source + "/deletion-mark.json");
      }
      assertEquals(6, live(bucket).size());

      BucketCompactor.Pass pass = new BucketCompactor(bucket,
          options(tmp.resolve("scratch")).build()).run();
      assertTrue(pass.compacted().isEmpty(), pass.toString());
      assertEquals(Set.copyOf(merged.compaction().sources()), Set.copyOf(pass.markedForDeletion()));
      assertEverySampleOnce(bucket, fixture, A);
    }
  }

  @Test
  void noCompactMarkedBlocksAreLeftOut() throws Exception {
    try (FilesystemBucket bucket = bucket()) {
      SidecarBlocks fixture = new SidecarBlocks(bucket, tmp, UlidGenerator.system());
      List<BlockMeta> blocks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        blocks.add(fixture.upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 3));
      }
      new BucketBlocks(bucket).markNoCompact(blocks.get(1).ulid(), "manual", "for the test");
      BucketCompactor.Pass pass = new BucketCompactor(bucket,
          options(tmp.resolve("scratch")).build()).run();
      assertFalse(pass.markedForDeletion().contains(blocks.get(1).ulid()), pass.toString());
      for (BlockMeta made : pass.compacted()) {
        assertFalse(made.compaction().sources().contains(blocks.get(1).ulid()), made.toString());
      }
      assertEverySampleOnce(bucket, fixture, A);
    }
  }

  @Test
  void aBlockYoungerThanTheConsistencyDelayWaits() throws Exception {
    try (FilesystemBucket bucket = bucket()) {
      // ULIDs made now; the blocks' data is old.
      SidecarBlocks fixture = new SidecarBlocks(bucket, tmp, UlidGenerator.system());
      for (int i = 0; i < 5; i++) {
        fixture.upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 3);
      }
      CompactorOptions.Builder defaults = CompactorOptions.builder(tmp.resolve("scratch"));
      assertTrue(new BucketCompactor(bucket, defaults.build()).run().compacted().isEmpty());
      Clock later = Clock.fixed(Instant.now().plus(Duration.ofMinutes(31)), ZoneOffset.UTC);
      assertFalse(new BucketCompactor(bucket, defaults.clock(later).build()).run()
          .compacted().isEmpty());
    }
  }

  @Test
  void retentionMarksExpiredBlocksAndTheDeleteDelayThenDeletesThem() throws Exception {
    try (FilesystemBucket bucket = bucket()) {
      UlidGenerator oldUlids = new UlidGenerator(() -> T0, new Random(1));
      SidecarBlocks fixture = new SidecarBlocks(bucket, tmp, oldUlids);
      BlockMeta old = fixture.upload(A, T0, T0 + 2 * HOUR, 2);
      BlockMeta recent = fixture.upload(A, T0 + 10 * 24 * HOUR, T0 + 10 * 24 * HOUR + 2 * HOUR, 2);
      long now = T0 + 12 * 24 * HOUR;
      CompactorOptions.Builder options = options(tmp.resolve("scratch"))
          .retention(Duration.ofDays(7), Duration.ZERO, Duration.ZERO)
          .deleteDelay(Duration.ofHours(1))
          .clock(Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
      BucketCompactor.Pass pass = new BucketCompactor(bucket, options.build()).run();
      assertEquals(List.of(old.ulid()), pass.markedForDeletion());
      assertTrue(pass.deleted().isEmpty());
      assertEquals(List.of(recent.ulid()), live(bucket).stream().map(BlockMeta::ulid).toList());

      options.clock(Clock.fixed(Instant.ofEpochMilli(now + 2 * HOUR), ZoneOffset.UTC));
      pass = new BucketCompactor(bucket, options.build()).run();
      assertEquals(List.of(old.ulid()), pass.deleted());
      List<String> left = new ArrayList<>();
      bucket.iterate(old.ulid() + "/", true, e -> left.add(e.key()));
      assertEquals(List.of(), left, "every object of it is gone");
    }
  }

  @Test
  void aRawRetentionUnderFortyHoursIsRefusedWhileDownsampling() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompactorOptions.builder(tmp).retention(Duration.ofHours(24), Duration.ZERO,
            Duration.ZERO).build());
    assertTrue(e.getMessage().contains("40h"), e.getMessage());
    CompactorOptions.builder(tmp).downsampling(false)
        .retention(Duration.ofHours(24), Duration.ZERO, Duration.ZERO).build();
  }

  @Test
  void twoDaysCompactedIntoOneBlockAreDownsampledToFiveMinutes() throws Exception {
    try (FilesystemBucket bucket = bucket()) {
      SidecarBlocks fixture = new SidecarBlocks(bucket, tmp, UlidGenerator.system());
      // 52 hours: the 8h windows up to 48h fill, then the 2d window [0, 48h).
      for (int i = 0; i < 26; i++) {
        fixture.upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 2);
      }
      BucketCompactor.Pass pass = new BucketCompactor(bucket,
          options(tmp.resolve("scratch")).build()).run();
      assertEverySampleOnce(bucket, fixture, A);
      assertEquals(1, pass.downsampled().size(), pass.toString());
      BlockMeta fiveMinutes = pass.downsampled().get(0);
      assertEquals(ThanosMeta.RESOLUTION_5M, fiveMinutes.thanos().orElseThrow()
          .downsampleResolution());
      assertEquals(A, fiveMinutes.thanos().orElseThrow().labels());
      BlockMeta input = liveRaw(bucket, A).get(0);
      assertEquals(48 * HOUR, input.maxTime() - input.minTime(), input.toString());
      assertEquals(3, input.compaction().level());
      assertEquals(Set.copyOf(input.compaction().sources()),
          Set.copyOf(fiveMinutes.compaction().sources()));
      // Done once: the next pass finds the 5m copy.
      assertTrue(new BucketCompactor(bucket, options(tmp.resolve("scratch")).build()).run()
          .downsampled().isEmpty());
    }
  }
}
