package dev.strata.downsample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownsamplingCompactorTest {
  static final long HOUR = 3_600_000;
  static final long DAY = 24 * HOUR;
  static final Labels SERIES = Labels.of("__name__", "up", "job", "node");

  @TempDir Path dir;
  final AtomicLong now = new AtomicLong(100 * DAY);

  private DownsamplingCompactor compactor(DownsamplingCompactor.Retention retention) {
    return new DownsamplingCompactor(
        dir, retention, new UlidGenerator(() -> 1_700_000_000_000L, new Random(1)), now::get);
  }

  /** A raw block over [mint, maxt) with a sample every hour. */
  private BlockMeta raw(long mint, long maxt, List<Ulid> sources, long resolution) throws IOException {
    int n = (int) ((maxt - mint) / HOUR);
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = mint + i * HOUR;
      v[i] = i;
    }
    RawBlockBuilder b = new RawBlockBuilder().samples(SERIES, t, v, 120)
        .thanos(new ThanosMeta(Map.of("site", "x"), resolution, ThanosMeta.SOURCE_SIDECAR));
    if (sources != null) {
      b.compaction(2, sources);
    }
    return b.write(dir, mint, maxt);
  }

  private List<BlockMeta> blocks(long resolution) throws IOException {
    return BlockDirectories.list(dir).stream()
        .map(b -> {
          try {
            return BlockMetaFile.read(b.path());
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })
        .filter(m -> Downsampler.resolutionOf(m) == resolution)
        .toList();
  }

  @Test
  void rawBlocksOfFortyHoursAndMoreGetFiveMinuteCopiesOnce() throws IOException {
    BlockMeta longOne = raw(0, 40 * HOUR, null, 0);
    raw(40 * HOUR, 79 * HOUR, null, 0); // 39 hours: too short
    DownsamplingCompactor c = compactor(DownsamplingCompactor.Retention.FOREVER);
    DownsamplingCompactor.Report report = c.run();
    assertEquals(1, report.created().size());
    BlockMeta five = report.created().get(0);
    assertEquals(Resolutions.FIVE_MINUTES, Downsampler.resolutionOf(five));
    assertEquals(longOne.compaction().sources(), five.compaction().sources());
    assertEquals(Map.of("site", "x"), five.thanos().orElseThrow().labels());
    assertEquals(List.of(), report.deleted());
    assertTrue(c.plan().isEmpty());
    assertEquals(List.of(), c.run().created());
  }

  @Test
  void secondPassTurnsNewFiveMinuteBlocksOfTenDaysIntoOneHourBlocks() throws IOException {
    raw(0, 10 * DAY, null, 0);
    DownsamplingCompactor.Report report = compactor(DownsamplingCompactor.Retention.FOREVER).run();
    assertEquals(2, report.created().size());
    assertEquals(Resolutions.FIVE_MINUTES, Downsampler.resolutionOf(report.created().get(0)));
    assertEquals(Resolutions.ONE_HOUR, Downsampler.resolutionOf(report.created().get(1)));
    assertEquals(1, blocks(Resolutions.ONE_HOUR).size());
  }

  @Test
  void fiveMinuteBlocksShorterThanTenDaysWait() throws IOException {
    raw(0, 10 * DAY - HOUR, null, Resolutions.FIVE_MINUTES);
    assertTrue(compactor(DownsamplingCompactor.Retention.FOREVER).plan().isEmpty());
  }

  @Test
  void aBlockIsDownsampledOnlyIfSomeSourceLacksADownsampledBlock() throws IOException {
    Ulid a = RawBlockBuilder.ULIDS.next();
    Ulid b = RawBlockBuilder.ULIDS.next();
    Ulid c = RawBlockBuilder.ULIDS.next();
    raw(0, 48 * HOUR, List.of(a, b), Resolutions.FIVE_MINUTES); // a and b are downsampled
    BlockMeta covered = raw(0, 48 * HOUR, List.of(a, b), 0); // e.g. a recompaction of a and b
    BlockMeta partly = raw(48 * HOUR, 96 * HOUR, List.of(b, c), 0);
    List<DownsamplingCompactor.Task> plan = compactor(DownsamplingCompactor.Retention.FOREVER).plan();
    assertEquals(1, plan.size());
    assertEquals(partly.ulid(), plan.get(0).meta().ulid());
    assertEquals(Resolutions.FIVE_MINUTES, plan.get(0).resolution());
    assertTrue(plan.stream().noneMatch(t -> t.meta().ulid().equals(covered.ulid())));
  }

  @Test
  void markedBlocksAreSkipped() throws IOException {
    BlockMeta noDownsample = raw(0, 48 * HOUR, null, 0);
    BlockMeta deleting = raw(48 * HOUR, 96 * HOUR, null, 0);
    Files.writeString(BlockDirectories.path(dir, noDownsample.ulid()).resolve(DownsamplingCompactor.NO_DOWNSAMPLE_MARK), "{}");
    Files.writeString(BlockDirectories.path(dir, deleting.ulid()).resolve(DownsamplingCompactor.DELETION_MARK), "{}");
    DownsamplingCompactor c = compactor(new DownsamplingCompactor.Retention(40 * HOUR, 0, 0));
    assertTrue(c.plan().isEmpty());
    now.set(1000 * DAY);
    assertEquals(List.of(noDownsample.ulid()), c.applyRetention(), "the deletion-marked block is left alone");
  }

  @Test
  void retentionPerResolutionFromTheEndTruncatedToSeconds() throws IOException {
    BlockMeta raw = raw(0, 40 * HOUR + 1500, null, 0);
    BlockMeta five = raw(0, 10 * DAY + 1500, List.of(RawBlockBuilder.ULIDS.next()), Resolutions.FIVE_MINUTES);
    BlockMeta hour = raw(0, 20 * DAY, List.of(RawBlockBuilder.ULIDS.next()), Resolutions.ONE_HOUR);
    DownsamplingCompactor c = compactor(new DownsamplingCompactor.Retention(40 * HOUR, 10 * DAY, 0));
    // The raw block ended at 40h + 1.5 s, counted as 40h + 1 s; kept until 40 h after that.
    now.set(80 * HOUR + 1000);
    assertEquals(List.of(), c.applyRetention());
    now.set(80 * HOUR + 1001);
    assertEquals(List.of(raw.ulid()), c.applyRetention());
    now.set(20 * DAY + 1001);
    assertEquals(List.of(five.ulid()), c.applyRetention());
    now.set(Long.MAX_VALUE / 2);
    assertEquals(List.of(), c.applyRetention(), "1h blocks are kept forever");
    assertEquals(List.of(hour.ulid()), BlockDirectories.list(dir).stream().map(b -> b.ulid()).toList());
  }

  @Test
  void retentionsTooShortToEverDownsampleAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new DownsamplingCompactor.Retention(39 * HOUR, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new DownsamplingCompactor.Retention(0, 9 * DAY, 0));
    assertThrows(IllegalArgumentException.class, () -> new DownsamplingCompactor.Retention(0, 0, -1));
    assertEquals(7, new DownsamplingCompactor.Retention(40 * HOUR, 10 * DAY, 7).of(Resolutions.ONE_HOUR));
  }

  @Test
  void unknownResolutionStopsPlanning() throws IOException {
    raw(0, 48 * HOUR, null, 60_000);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> compactor(DownsamplingCompactor.Retention.FOREVER).plan());
    assertTrue(e.getMessage().contains("unexpected downsampling resolution 60000"), e.getMessage());
  }
}
