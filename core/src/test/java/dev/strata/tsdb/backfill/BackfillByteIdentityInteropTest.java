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
      Path theirs = tmp.resolve("promtool-" + round);
      Path ours = tmp.resolve("strata-" + round);
      Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", in.toString(), theirs.toString())
          .assertSuccess();
      try (OpenMetricsInput input = OpenMetricsInput.open(in)) {
        OpenMetricsBackfill.createBlocks(input, ours, 0, m -> {});
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
    }
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
