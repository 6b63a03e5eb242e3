package dev.strata.tsdb.backfill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.OpenMetricsText;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.textparse.OpenMetricsInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks built from the same OpenMetrics input by promtool and by Strata are byte-identical:
 * index, chunk segments, tombstones, and meta.json up to the ULID.
 */
@Interop
class BackfillByteIdentityInteropTest {
  @TempDir Path tmp;

  @Test
  void sameBytesAsPromtool() throws Exception {
    for (int round = 0; round < 3; round++) {
      Path in = tmp.resolve("input-" + round + ".om");
      Files.writeString(in, OpenMetricsText.generate(round, 20 + round * 30, 800 + round * 700, round == 2), StandardCharsets.UTF_8);
      BackfillResult ours = assertSameBlocks(in, "round-" + round);
      assertEquals(DroppedSamples.NONE, ours.dropped());
    }
  }

  /**
   * Out-of-order samples and duplicate timestamps, with equal and with different values, within a
   * block and across block boundaries: promtool drops them, and so does Strata, to the same bytes.
   * The input stays below promtool's 5000 samples per appender commit in every block, as promtool
   * fails on such a sample after a commit.
   */
  @Test
  void sameBytesAsPromtoolWhenSamplesAreDropped() throws Exception {
    for (int round = 0; round < 2; round++) {
      String text = withConflicts(OpenMetricsText.generate(10 + round, 8, 600, round == 1), round);
      Path in = Files.writeString(tmp.resolve("conflicts-" + round + ".om"), text, StandardCharsets.UTF_8);
      BackfillResult ours = assertSameBlocks(in, "conflicts-" + round);
      DroppedSamples dropped = ours.dropped();
      long inputSamples = text.lines().filter(l -> !l.startsWith("#")).count();
      long stored = ours.blocks().stream().mapToLong(m -> m.stats().numSamples()).sum();
      assertEquals(inputSamples - stored, dropped.total(), dropped.toString());
      assertTrue(dropped.outOfOrder() > 0 && dropped.duplicateTimestamp() > 0
          && dropped.exactDuplicate() > 0, "every kind of drop occurs: " + dropped);
    }
  }

  // Backfills `in` with promtool and with Strata; asserts the same blocks, byte for byte.
  private BackfillResult assertSameBlocks(Path in, String name) throws Exception {
    Path theirs = tmp.resolve("promtool-" + name);
    Path ours = tmp.resolve("strata-" + name);
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", in.toString(), theirs.toString())
        .assertSuccess();
    BackfillResult result;
    try (OpenMetricsInput input = OpenMetricsInput.open(in)) {
      result = OpenMetricsBackfill.createBlocks(input, ours, 0, m -> {});
    }
    Map<String, Path> theirBlocks = blocksByRange(theirs);
    Map<String, Path> ourBlocks = blocksByRange(ours);
    assertEquals(theirBlocks.keySet(), ourBlocks.keySet(), "block ranges");
    assertTrue(theirBlocks.size() >= 2, "the input spans several blocks");
    for (String range : theirBlocks.keySet()) {
      Path a = theirBlocks.get(range);
      Path b = ourBlocks.get(range);
      assertArrayEquals(Files.readAllBytes(a.resolve("index")), Files.readAllBytes(b.resolve("index")),
          "index of block " + range);
      assertArrayEquals(Files.readAllBytes(a.resolve("chunks/000001")), Files.readAllBytes(b.resolve("chunks/000001")),
          "chunks of block " + range);
      assertArrayEquals(Files.readAllBytes(a.resolve("tombstones")), Files.readAllBytes(b.resolve("tombstones")));
      BlockMeta ma = BlockMetaFile.read(a);
      BlockMeta mb = BlockMetaFile.read(b);
      assertEquals(ma.stats(), mb.stats(), "stats of block " + range);
      assertEquals(ma.compaction().level(), mb.compaction().level());
    }
    return result;
  }

  /**
   * {@code doc} with lines added after some samples: the same line again; the same timestamp with
   * another value (always at the first sample of a block, so duplicates sit on block boundaries);
   * an older timestamp in the same block or two hours older, in an earlier block; and a timestamp
   * two hours ahead, in a later block, which the series' next samples there come out of order with.
   */
  static String withConflicts(String doc, long seed) {
    Random rnd = new Random(seed);
    StringBuilder out = new StringBuilder();
    for (String line : doc.split("\n")) {
      out.append(line).append('\n');
      if (line.startsWith("#")) {
        continue;
      }
      int lastSpace = line.lastIndexOf(' ');
      String series = line.substring(0, line.lastIndexOf(' ', lastSpace - 1));
      String stamp = line.substring(lastSpace + 1);
      long t = Math.round(Double.parseDouble(stamp) * 1000);
      boolean firstOfBlock = Math.floorMod(t, BLOCK) < 60_000;
      if (!firstOfBlock && rnd.nextInt(40) != 0) {
        continue;
      }
      int kind = firstOfBlock ? 1 : rnd.nextInt(5);
      switch (kind) {
        case 0 -> out.append(line);
        case 1 -> out.append(series).append(' ').append(rnd.nextInt(1000) + 0.5).append(' ').append(stamp);
        case 2 -> out.append(series).append(" 1 ").append(seconds(t - 1 - rnd.nextInt(600_000)));
        case 3 -> out.append(series).append(" 2 ").append(seconds(t - BLOCK));
        default -> out.append(series).append(" 3 ").append(seconds(t + BLOCK));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static final long BLOCK = OpenMetricsBackfill.DEFAULT_BLOCK_DURATION;

  private static String seconds(long millis) {
    return millis / 1000 + "." + String.format("%03d", millis % 1000);
  }

  private static Map<String, Path> blocksByRange(Path dir) throws Exception {
    Map<String, Path> out = new TreeMap<>();
    for (BlockDirectories.BlockDirectory b : BlockDirectories.list(dir)) {
      BlockMeta m = BlockMetaFile.read(b.path());
      out.put(m.minTime() + "-" + m.maxTime(), b.path());
    }
    return out;
  }

  static List<String> lines(String s) {
    return new ArrayList<>(List.of(s.split("\n")));
  }
}
