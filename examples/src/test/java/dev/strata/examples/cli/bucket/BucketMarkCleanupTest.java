package dev.strata.examples.cli.bucket;

import static dev.strata.examples.cli.StrataCli.run;
import static dev.strata.tier.testing.SidecarBlocks.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCli;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.SidecarBlocks;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.UlidGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata bucket mark}, {@code cleanup} and {@code retention} on a filesystem bucket.
 */
class BucketMarkCleanupTest {
  @TempDir Path tmp;

  @Test
  void markedBlocksAreLeftAloneOrDeletedAfterTheDelay() throws Exception {
    Path dir = tmp.resolve("bucket");
    BlockMeta kept;
    BlockMeta dropped;
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      SidecarBlocks blocks = new SidecarBlocks(bucket, tmp, UlidGenerator.system());
      kept = blocks.upload(Map.of("cluster", "a"), 0, 2 * HOUR, 2);
      dropped = blocks.upload(Map.of("cluster", "a"), 2 * HOUR, 4 * HOUR, 2);
    }
    Path config = tmp.resolve("bucket.yml");
    Files.writeString(config, "type: FILESYSTEM\nconfig:\n  directory: " + dir + "\n");
    String objstore = "--objstore.config-file=" + config;

    String out = run("bucket", "mark", objstore, "--id=" + kept.ulid(),
        "--marker=no-compact-mark.json", "--details=keep it as it is").assertSuccess().stdout();
    assertTrue(out.contains("marked no-compact: keep it as it is"), out);
    run("bucket", "mark", objstore, "--id=" + dropped.ulid(), "--marker=deletion-mark.json",
        "--details=bad data").assertSuccess();
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      BucketBlocks b = new BucketBlocks(bucket);
      assertEquals("keep it as it is", b.noCompactMark(kept.ulid()).orElseThrow().details());
      assertEquals("bad data", b.deletionMark(dropped.ulid()).orElseThrow().details());
    }

    // Marked just now: the default 48h delay keeps it; no delay deletes it.
    assertTrue(run("bucket", "cleanup", objstore).assertSuccess().stdout()
        .contains("0 blocks deleted"));
    out = run("bucket", "cleanup", objstore, "--delete-delay=0s").assertSuccess().stdout();
    assertTrue(out.contains(dropped.ulid() + "  deleted"), out);
    assertFalse(Files.exists(dir.resolve(dropped.ulid().toString())), "every object gone");
    assertTrue(Files.exists(dir.resolve(kept.ulid() + "/meta.json")));

    run("bucket", "mark", objstore, "--id=" + kept.ulid(), "--marker=no-compact-mark.json",
        "--remove").assertSuccess();
    assertFalse(Files.exists(dir.resolve(kept.ulid() + "/no-compact-mark.json")));

    StrataCli.Result unknown = run("bucket", "mark", objstore, "--id=" + kept.ulid(),
        "--marker=other.json", "--details=x");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.stderr().contains("deletion-mark.json or no-compact-mark.json"),
        unknown.stderr());
    StrataCli.Result absent = run("bucket", "mark", objstore, "--id=" + dropped.ulid(),
        "--marker=deletion-mark.json", "--details=again");
    assertEquals(2, absent.exitCode());
    assertTrue(absent.stderr().contains("is not in"), absent.stderr());
  }

  @Test
  void retentionMarksTheBlocksPastItOnly() throws Exception {
    Path dir = tmp.resolve("bucket");
    BlockMeta old;
    BlockMeta recent;
    long now = System.currentTimeMillis() / HOUR * HOUR;
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      SidecarBlocks blocks = new SidecarBlocks(bucket, tmp, UlidGenerator.system());
      old = blocks.upload(Map.of("cluster", "a"), now - 30 * 24 * HOUR,
          now - 30 * 24 * HOUR + 2 * HOUR, 2);
      recent = blocks.upload(Map.of("cluster", "a"), now - 4 * HOUR, now - 2 * HOUR, 2);
    }
    Path config = tmp.resolve("bucket.yml");
    Files.writeString(config, "type: FILESYSTEM\nconfig:\n  directory: " + dir + "\n");
    String out = run("bucket", "retention", "--objstore.config-file=" + config,
        "--retention.resolution-raw=7d").assertSuccess().stdout();
    assertTrue(out.contains(old.ulid() + "  marked for deletion"), out);
    assertFalse(out.contains(recent.ulid().toString()), out);
    assertTrue(Files.exists(dir.resolve(old.ulid() + "/deletion-mark.json")));
    assertFalse(Files.exists(dir.resolve(recent.ulid() + "/deletion-mark.json")));
  }
}
