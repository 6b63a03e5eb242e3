package dev.strata.examples.cli.compact;

import static dev.strata.tier.testing.SidecarBlocks.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCommand;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tier.block.BlockVerifier;
import dev.strata.tier.block.MetaSync;
import dev.strata.tier.block.SyncedBlock;
import dev.strata.tier.objstore.S3Bucket;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tier.testing.SidecarBlocks;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata compact} killed with SIGKILL at random moments (seeded), over and over, on an S3
 * bucket (S3Proxy) of 52 blocks of two streams, then let finish: the bucket must end as a
 * compactor that was never killed leaves it. Every sample once, no live block with a file
 * missing or damaged, no overlap, and the same levels and ranges as the uninterrupted run.
 */
class CompactorCrashTest {
  private static final Map<String, String> A = Map.of("cluster", "a", "replica", "0");
  private static final Map<String, String> B = Map.of("cluster", "b", "replica", "0");
  private static final long T0 = 100 * 24 * HOUR;
  private static final int BLOCKS_PER_STREAM = 26; // 52 hours: up to a 2d block, and its 5m copy
  private static final int KILLS = 20;

  @TempDir Path tmp;

  @Test
  void killedAtRandomMomentsItEndsWhereAnUninterruptedRunEnds() throws Exception {
    try (LocalS3Server s3 = LocalS3Server.inMemory()) {
      SidecarBlocks killed = upload(s3, "killed");
      SidecarBlocks calm = upload(s3, "calm");

      assertEquals(0, compactOnce(s3, "calm"), "the uninterrupted run");
      Random random = new Random(20261203);
      int killedMidPass = 0;
      for (int i = 0; i < KILLS; i++) {
        try (ServerProcess compact = start(s3, "killed", "kill-" + i)) {
          compact.awaitLogLine("strata compact: ");
          Thread.sleep(random.nextInt(1500));
          if (compact.isAlive()) {
            killedMidPass++;
          }
          compact.kill();
        }
      }
      System.out.printf("strata compact killed %d times, %d of them during a pass%n", KILLS,
          killedMidPass);
      // Kills that come once the bucket is compacted find the short pass over; enough must come
      // before (13 to 20 of 20 in the runs so far) for the test to be about crashes.
      assertTrue(killedMidPass >= KILLS / 4, "kills that hit a pass: " + killedMidPass);
      assertEquals(0, compactOnce(s3, "killed"), "the run after the kills");

      try (S3Bucket calmBucket = S3Bucket.open(s3.options("calm").build());
          S3Bucket killedBucket = S3Bucket.open(s3.options("killed").build())) {
        assertEquals(layout(calmBucket), layout(killedBucket));
        for (Map<String, String> stream : List.of(A, B)) {
          SidecarBlocks reader = new SidecarBlocks(killedBucket, tmp.resolve("read"),
              UlidGenerator.system());
          assertEquals(killed.written(stream), reader.readRaw(stream));
          assertEquals(calm.written(stream), killed.written(stream));
        }
        for (SyncedBlock b : MetaSync.builder(killedBucket).build().sync().blocks().values()) {
          if (b.deletionMark().isEmpty()) {
            BlockVerifier.Report report = BlockVerifier.verify(killedBucket, b.meta().ulid(),
                tmp.resolve("verify"));
            assertTrue(report.ok(), report.toString());
          }
        }
      }
    }
  }

  private SidecarBlocks upload(LocalS3Server s3, String bucket) throws Exception {
    try (S3Bucket b = s3.bucket(bucket)) {
      SidecarBlocks blocks = new SidecarBlocks(b, tmp.resolve("upload-" + bucket),
          new UlidGenerator(() -> T0, new Random(bucket.hashCode())));
      for (int i = 0; i < BLOCKS_PER_STREAM; i++) {
        for (Map<String, String> stream : List.of(A, B)) {
          blocks.upload(stream, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 2);
        }
      }
      Files.writeString(tmp.resolve(bucket + ".yml"), s3.objstoreYaml(bucket));
      return blocks;
    }
  }

  private ServerProcess start(LocalS3Server s3, String bucket, String name) throws Exception {
    return ServerProcess.start("strata compact " + name, ChildJvm.command(tmp.resolve("child-tmp"),
        StrataCommand.class, "compact", "--objstore.config-file=" + tmp.resolve(bucket + ".yml"),
        "--data-dir=" + tmp.resolve("data-" + bucket), "--http-address=127.0.0.1:0",
        "--consistency-delay=0s", "--delete-delay=0s", "--log.level=info"),
        tmp.resolve(name + ".log"));
  }

  private int compactOnce(LocalS3Server s3, String bucket) throws Exception {
    try (ServerProcess compact = start(s3, bucket, bucket + "-to-the-end")) {
      return compact.awaitExit(Duration.ofMinutes(3));
    }
  }

  /** The live blocks by stream, resolution, range and level, in order. */
  private static List<String> layout(S3Bucket bucket) throws Exception {
    List<BlockMeta> live = new ArrayList<>();
    for (SyncedBlock b : MetaSync.builder(bucket).build().sync().blocks().values()) {
      if (b.deletionMark().isEmpty()) {
        live.add(b.meta());
      }
    }
    List<String> out = new ArrayList<>();
    live.stream().sorted(Comparator.comparing((BlockMeta m) -> m.thanos().orElseThrow().labels()
            .toString()).thenComparingLong(m -> m.thanos().orElseThrow().downsampleResolution())
        .thenComparingLong(BlockMeta::minTime))
        .forEach(m -> {
          ThanosMeta t = m.thanos().orElseThrow();
          out.add(t.labels() + " res " + t.downsampleResolution() + " ["
              + (m.minTime() - T0) / HOUR + "h, " + (m.maxTime() - T0) / HOUR + "h) level "
              + m.compaction().level() + " samples " + m.stats().numSamples());
        });
    return out;
  }
}
