package dev.strata.downsample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.downsample.AggrBlockContents.Chunk;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.tombstones.TombstoneSet;
import dev.strata.tsdb.tombstones.TombstonesReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownsamplerTest {
  static final Labels A = Labels.of("__name__", "a");
  static final Labels B = Labels.of("__name__", "b", "x", "y");

  @TempDir Path dir;

  private static long[] times(int n, long step) {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = i * step;
    }
    return t;
  }

  private static double[] ones(int n) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, 1);
    return v;
  }

  @Test
  void metaKeepsRangeCompactionAndLabelsAndGetsResolutionSourceAndFiles() throws IOException {
    Ulid s1 = RawBlockBuilder.ULIDS.next();
    Ulid s2 = RawBlockBuilder.ULIDS.next();
    ThanosMeta thanos =
        new ThanosMeta(Map.of("cluster", "eu", "replica", "r1"), 0, ThanosMeta.SOURCE_SIDECAR,
            List.of("000001"), List.of(new ThanosMeta.File("index", 1234)),
            Map.of("index_stats", JsonNodeFactory.instance.objectNode().put("series_max_size", 9),
                "version", JsonNodeFactory.instance.numberNode(1)));
    BlockMeta in =
        new RawBlockBuilder()
            .samples(A, times(100, 15_000), ones(100), 120)
            .samples(B, times(10, 60_000), ones(10), 120)
            .thanos(thanos)
            .compaction(3, List.of(s1, s2))
            .write(dir, 0, 7_200_000);
    BlockMeta out;
    try (Block block = Block.open(BlockDirectories.path(dir, in.ulid()))) {
      out = Downsampler.downsample(block, Resolutions.FIVE_MINUTES, dir.resolve("out"));
    }
    Path outDir = BlockDirectories.path(dir.resolve("out"), out.ulid());
    assertEquals(out, BlockMetaFile.read(outDir));
    assertNotEquals(in.ulid(), out.ulid());
    assertEquals(0, out.minTime());
    assertEquals(7_200_000, out.maxTime());
    assertEquals(in.compaction(), out.compaction());
    ThanosMeta t = out.thanos().orElseThrow();
    assertEquals(Map.of("cluster", "eu", "replica", "r1"), t.labels());
    assertEquals(Resolutions.FIVE_MINUTES, t.downsampleResolution());
    assertEquals(ThanosMeta.SOURCE_COMPACTOR, t.source());
    assertEquals(List.of("000001"), t.segmentFiles());
    assertEquals(
        List.of(
            new ThanosMeta.File("chunks/000001", Files.size(outDir.resolve("chunks/000001"))),
            new ThanosMeta.File("index", Files.size(outDir.resolve("index"))),
            new ThanosMeta.File("meta.json", 0)),
        t.files());
    assertFalse(t.extra().containsKey("index_stats"), "the input's index stats do not apply");
    assertTrue(t.extra().containsKey("version"));
    // 100 samples at 15 s: 5 windows in two chunks' worth of time; 10 at 1 min: 2 windows.
    assertEquals(2, out.stats().numSeries());
    assertEquals(5 + 2, out.stats().numSamples());
    assertEquals(2, out.stats().numChunks());
    assertEquals(TombstoneSet.EMPTY, TombstonesReader.read(outDir));
    assertFalse(Files.exists(dir.resolve("out").resolve(out.ulid() + BlockDirectories.TMP_FOR_CREATION_SUFFIX)));
  }

  @Test
  void blockWithoutThanosSectionIsRawAndGetsOne() throws IOException {
    BlockMeta in = new RawBlockBuilder().samples(A, times(10, 60_000), ones(10), 120).write(dir, 0, 7_200_000);
    assertEquals(Resolutions.RAW, Downsampler.resolutionOf(in));
    BlockMeta out;
    try (Block block = Block.open(BlockDirectories.path(dir, in.ulid()))) {
      out = Downsampler.downsample(block, Resolutions.ONE_HOUR, dir);
    }
    assertEquals(new ThanosMeta(Map.of(), Resolutions.ONE_HOUR, ThanosMeta.SOURCE_COMPACTOR).labels(),
        out.thanos().orElseThrow().labels());
    assertEquals(Resolutions.ONE_HOUR, Downsampler.resolutionOf(out));
  }

  @Test
  void refusesTargetsThatAreNotCoarser() throws IOException {
    BlockMeta in =
        new RawBlockBuilder()
            .samples(A, times(10, 60_000), ones(10), 120)
            .thanos(new ThanosMeta(Map.of(), Resolutions.FIVE_MINUTES, "compactor"))
            .write(dir, 0, 7_200_000);
    try (Block block = Block.open(BlockDirectories.path(dir, in.ulid()))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Downsampler.downsample(block, Resolutions.FIVE_MINUTES, dir));
      assertTrue(e.getMessage().contains("not finer than the target 5m"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> Downsampler.downsample(block, 0, dir));
      assertThrows(IllegalArgumentException.class, () -> Downsampler.downsample(block, 60_000, dir));
    }
    assertEquals(1, BlockDirectories.list(dir).size(), "nothing was written");
  }

  @Test
  void deletedSamplesAreLeftOut() throws IOException {
    BlockMeta in = new RawBlockBuilder().samples(A, times(20, 60_000), ones(20), 120).write(dir, 0, 7_200_000);
    BlockMeta out;
    try (Block block = Block.open(BlockDirectories.path(dir, in.ulid()))) {
      // Delete the whole first window and one sample of the third.
      block.acquire();
      long ref;
      try {
        var postings = block.index().postings("__name__", "a");
        assertTrue(postings.next());
        ref = postings.at();
      } finally {
        block.release();
      }
      block.setTombstones(
          TombstoneSet.builder().add(ref, 0, 299_999).add(ref, 600_000, 600_000).build());
      out = Downsampler.downsample(block, Resolutions.FIVE_MINUTES, dir.resolve("out"));
    }
    List<Chunk> chunks =
        AggrBlockContents.read(BlockDirectories.path(dir.resolve("out"), out.ulid())).get(A);
    assertEquals(
        List.of(AggrBlockContents.s(599_999, 5), AggrBlockContents.s(899_999, 4),
            AggrBlockContents.s(1_140_000, 5)),
        chunks.get(0).get(AggrType.COUNT));
    assertEquals(0, out.stats().numTombstones());
  }

  @Test
  void overlappingChunksAreRefusedAsThanosDoes() throws IOException {
    BlockMeta in =
        new RawBlockBuilder()
            .chunk(A, new long[] {0, 60_000, 120_000}, new double[] {1, 2, 3})
            .chunk(A, new long[] {100_000, 200_000}, new double[] {4, 5})
            .write(dir, 0, 7_200_000);
    try (Block block = Block.open(BlockDirectories.path(dir, in.ulid()))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Downsampler.downsample(block, Resolutions.FIVE_MINUTES, dir.resolve("out")));
      assertTrue(e.getMessage().contains("overlapping chunks [0, 120000] and [100000, 200000]"),
          e.getMessage());
    }
    assertTrue(BlockDirectories.list(dir.resolve("out")).isEmpty());
    try (var entries = Files.list(dir.resolve("out"))) {
      assertEquals(0, entries.count(), "the temporary directory is removed");
    }
  }

  @Test
  void samplesGoingBackInTimeWithinAChunkAndNegativeTimesAreDropped() throws IOException {
    BlockMeta in =
        new RawBlockBuilder()
            .chunk(A, new long[] {-60_000, 0, 120_000, 60_000, 180_000}, new double[] {9, 1, 2, 7, 3})
            .write(dir, -3_600_000, 7_200_000);
    BlockMeta out;
    try (Block block = Block.open(BlockDirectories.path(dir, in.ulid()))) {
      out = Downsampler.downsample(block, Resolutions.FIVE_MINUTES, dir.resolve("out"));
    }
    Chunk c = AggrBlockContents.read(BlockDirectories.path(dir.resolve("out"), out.ulid())).get(A).get(0);
    assertEquals(List.of(AggrBlockContents.s(180_000, 3)), c.get(AggrType.COUNT));
    assertEquals(List.of(AggrBlockContents.s(180_000, 6)), c.get(AggrType.SUM));
    assertTrue(Files.isRegularFile(BlockDirectories.path(dir.resolve("out"), out.ulid()).resolve(BlockFiles.INDEX)));
  }
}
