package dev.strata.tsdb.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.tsdb.block.BlockDirectories.BlockDirectory;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.tombstones.TombstoneSet;
import dev.strata.tsdb.tombstones.TombstonesReader;
import dev.strata.tsdb.tombstones.TombstonesWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds blocks with the real {@code promtool tsdb create-blocks-from openmetrics}, reads their
 * {@code meta.json} and {@code tombstones}, writes them back, and checks the bytes and what
 * promtool makes of the result.
 */
@Interop
class PromtoolBlockMetaInteropTest {

  private static final long BLOCK_MS = 2 * 3_600_000L;

  @TempDir Path tmp;

  private Path out;
  // Expected per 2 h window start: timestamps of every sample, per series.
  private final Map<Long, Map<String, List<Long>>> windows = new TreeMap<>();

  /** One row of {@code promtool tsdb list}. */
  record Row(
      String ulid, long minTime, long maxTime, long samples, long chunks, long series, long size) {
    static List<Row> parse(String output) {
      List<Row> rows = new ArrayList<>();
      String[] lines = output.strip().split("\n");
      assertTrue(lines[0].startsWith("BLOCK ULID"), output);
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].trim().split("\\s+");
        rows.add(
            new Row(
                f[0],
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[4]),
                Long.parseLong(f[5]),
                Long.parseLong(f[6]),
                Long.parseLong(f[7])));
      }
      return rows;
    }
  }

  private void sample(StringBuilder text, String series, long ms, double value) {
    text.append(series)
        .append(' ')
        .append(value)
        .append(' ')
        .append(ms / 1000)
        .append('.')
        .append(String.format("%03d", ms % 1000))
        .append('\n');
    windows
        .computeIfAbsent(Math.floorDiv(ms, BLOCK_MS) * BLOCK_MS, w -> new HashMap<>())
        .computeIfAbsent(series, s -> new ArrayList<>())
        .add(ms);
  }

  @BeforeEach
  void createBlocks() throws Exception {
    long start = 1_700_000_000_000L + 345;
    StringBuilder text = new StringBuilder("# HELP load Generated.\n# TYPE load gauge\n");
    for (int i = 0; i < 3; i++) {
      String series = "load{host=\"h" + i + "\"}";
      // Host 2 only appears in the last hours, so blocks differ in series count.
      long from = i == 2 ? start + 4 * 3_600_000L : start + i * 7_000L;
      for (long t = from; t < start + 5 * 3_600_000L; t += 60_000) {
        sample(text, series, t, (t / 1000) % 97 + i / 4.0);
      }
    }
    text.append("# TYPE up gauge\n");
    sample(text, "up", start + 10, 1);
    text.append("# EOF\n");
    Path input = tmp.resolve("input.om");
    Files.writeString(input, text);
    out = Files.createDirectories(tmp.resolve("data"));
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", input.toString(), out.toString())
        .assertSuccess();
  }

  private List<Row> list(Path dir) throws Exception {
    return Row.parse(Promtool.run(tmp, "tsdb", "list", dir.toString()).assertSuccess().stdout());
  }

  @Test
  void readsPromtoolsMetaAndTombstonesAndWritesTheSameBytes() throws Exception {
    List<Row> rows = list(out);
    List<BlockDirectory> blocks = BlockDirectories.list(out);
    assertEquals(windows.size(), blocks.size());
    assertEquals(rows.size(), blocks.size());

    int i = 0;
    for (Map.Entry<Long, Map<String, List<Long>>> window : windows.entrySet()) {
      BlockDirectory block = blocks.get(i);
      Row row = rows.get(i++);
      BlockMeta meta = BlockMetaFile.read(block.path());

      // What promtool reports and what the input implies.
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      long samples = 0;
      for (List<Long> times : window.getValue().values()) {
        min = Math.min(min, times.get(0));
        max = Math.max(max, times.get(times.size() - 1));
        samples += times.size();
      }
      assertEquals(row.ulid(), meta.ulid().toString());
      assertEquals(block.ulid(), meta.ulid());
      assertEquals(min, meta.minTime());
      assertEquals(max + 1, meta.maxTime());
      assertEquals(row.minTime(), meta.minTime());
      assertEquals(row.maxTime(), meta.maxTime());
      assertEquals(samples, meta.stats().numSamples());
      assertEquals(row.samples(), meta.stats().numSamples());
      assertEquals(window.getValue().size(), meta.stats().numSeries());
      assertEquals(row.series(), meta.stats().numSeries());
      assertEquals(row.chunks(), meta.stats().numChunks());
      assertEquals(0, meta.stats().numTombstones());
      assertEquals(BlockCompaction.level1(meta.ulid()), meta.compaction());
      assertTrue(meta.thanos().isEmpty());
      assertTrue(meta.extra().isEmpty());

      byte[] metaBytes = Files.readAllBytes(block.path().resolve(BlockFiles.META_JSON));
      byte[] tombstoneBytes = Files.readAllBytes(block.path().resolve(BlockFiles.TOMBSTONES));
      assertArrayEquals(metaBytes, BlockMetaFile.encode(meta));
      TombstoneSet tombstones = TombstonesReader.read(block.path());
      assertEquals(TombstoneSet.EMPTY, tombstones);
      assertArrayEquals(tombstoneBytes, TombstonesWriter.encode(tombstones));

      // Rewrite both files in place: the same bytes again.
      BlockMetaFile.write(block.path(), meta);
      TombstonesWriter.write(block.path(), tombstones);
      assertArrayEquals(metaBytes, Files.readAllBytes(block.path().resolve(BlockFiles.META_JSON)));
      assertArrayEquals(
          tombstoneBytes, Files.readAllBytes(block.path().resolve(BlockFiles.TOMBSTONES)));
      try (Stream<Path> files = Files.list(block.path())) {
        assertEquals(
            List.of("chunks", "index", "meta.json", "tombstones"),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }
    }
    assertEquals(rows, list(out), "promtool lists the rewritten blocks as before");
  }

  @Test
  void promtoolStillListsABlockWhoseMetaGainedThanosAndUnknownFields() throws Exception {
    List<Row> before = list(out);
    BlockDirectory block = BlockDirectories.list(out).get(1);
    BlockMeta meta = BlockMetaFile.read(block.path());
    long oldSize = Files.size(block.path().resolve(BlockFiles.META_JSON));
    ThanosMeta thanos =
        new ThanosMeta(Map.of("cluster", "eu-1", "replica", "<a>"), 0, ThanosMeta.SOURCE_SIDECAR)
            .withFiles(
                List.of(new ThanosMeta.File("index", 1), new ThanosMeta.File("meta.json", 0)));
    BlockMeta changed =
        new BlockMeta(
            meta.ulid(),
            meta.minTime(),
            meta.maxTime(),
            meta.stats().withNumTombstones(3),
            meta.compaction(),
            Optional.of(thanos),
            Map.of("x_strata", JsonNodeFactory.instance.textNode("kept")));
    long newSize = BlockMetaFile.write(block.path(), changed);
    assertEquals(changed, BlockMetaFile.read(block.path()));

    List<Row> after = list(out);
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      Row b = before.get(i);
      long size = i == 1 ? b.size() - oldSize + newSize : b.size();
      assertEquals(
          new Row(b.ulid(), b.minTime(), b.maxTime(), b.samples(), b.chunks(), b.series(), size),
          after.get(i));
    }
  }

  @Test
  void blockCreatedUnderANewUlidReadsLikeTheOriginalAndDeletesCleanly() throws Exception {
    BlockDirectory original = BlockDirectories.list(out).get(0);
    BlockMeta originalMeta = BlockMetaFile.read(original.path());

    // The original alone, and a copy made by BlockDirectories under a fresh ULID.
    Path onlyOriginal = Files.createDirectories(tmp.resolve("original/wal"));
    copyTree(
        original.path(), onlyOriginal.resolveSibling(original.path().getFileName().toString()));
    Path copies = Files.createDirectories(tmp.resolve("copies/wal")).getParent();
    Ulid id = UlidGenerator.system().next();
    Path created =
        BlockDirectories.create(
            copies,
            id,
            dir -> {
              copyTree(original.path().resolve(BlockFiles.CHUNKS), dir.resolve(BlockFiles.CHUNKS));
              Files.copy(original.path().resolve(BlockFiles.INDEX), dir.resolve(BlockFiles.INDEX));
              TombstonesWriter.write(dir, TombstoneSet.EMPTY);
              BlockMetaFile.write(
                  dir,
                  BlockMeta.newBlock(
                      id, originalMeta.minTime(), originalMeta.maxTime(), originalMeta.stats()));
            });
    assertEquals(List.of(new BlockDirectory(id, created)), BlockDirectories.list(copies));

    Row originalRow = list(onlyOriginal.getParent()).get(0);
    List<Row> copyRows = list(copies);
    assertEquals(1, copyRows.size());
    Row copy = copyRows.get(0);
    assertEquals(id.toString(), copy.ulid());
    assertEquals(
        new Row(
            id.toString(),
            originalRow.minTime(),
            originalRow.maxTime(),
            originalRow.samples(),
            originalRow.chunks(),
            originalRow.series(),
            originalRow.size()),
        copy);
    String originalDump =
        Promtool.run(tmp, "tsdb", "dump", onlyOriginal.getParent().toString())
            .assertSuccess()
            .stdout();
    String copyDump = Promtool.run(tmp, "tsdb", "dump", copies.toString()).assertSuccess().stdout();
    assertFalse(originalDump.isBlank());
    assertEquals(originalDump, copyDump);

    assertTrue(BlockDirectories.delete(created));
    assertEquals(List.of(), list(copies));
    try (Stream<Path> s = Files.list(copies)) {
      // promtool added chunks_head; nothing named after the block is left.
      assertEquals(
          List.of(),
          s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(id.toString())).toList());
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
