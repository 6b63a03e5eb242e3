package dev.strata.examples.cli.tsdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCli;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks written by {@code strata tsdb create-blocks-from openmetrics} are promtool's blocks: the
 * same index and chunk bytes for the same input, the same printed table, and promtool reads back
 * exactly the samples of the input.
 */
@Interop
class StrataBlocksInteropTest {
  static final long START = 1_699_995_612_345L;
  static final long SPAN = 5 * 3_600_000L;
  private static final String ULID = "[0-9A-HJKMNP-TV-Z]{26}";

  @TempDir Path tmp;

  @Test
  void writesPromtoolsBlocksAndTable() throws Exception {
    OpenMetricsFixture fixture = OpenMetricsFixture.realistic(7, START, SPAN);
    Path input = fixture.write(tmp.resolve("input.om"));
    Path ours = tmp.resolve("ours");
    Path theirs = tmp.resolve("theirs");
    StrataCli.Result created = StrataCli.run(
        "tsdb", "create-blocks-from", "openmetrics", input.toString(), ours.toString())
        .assertSuccess();
    Promtool.Result printed = Promtool.run(tmp,
        "tsdb", "create-blocks-from", "openmetrics", input.toString(), theirs.toString())
        .assertSuccess();
    assertEquals(printed.stdout().replaceAll(ULID, "<ulid>"),
        created.stdout().replaceAll(ULID, "<ulid>"), "the table printed while writing");
    assertEquals("", created.stderr());

    Map<String, Path> theirBlocks = blocksByRange(theirs);
    Map<String, Path> ourBlocks = blocksByRange(ours);
    assertEquals(theirBlocks.keySet(), ourBlocks.keySet(), "block ranges");
    assertTrue(ourBlocks.size() >= 3, "several blocks");
    for (String range : theirBlocks.keySet()) {
      for (String file : new String[] {"index", "chunks/000001"}) {
        assertArrayEquals(Files.readAllBytes(theirBlocks.get(range).resolve(file)),
            Files.readAllBytes(ourBlocks.get(range).resolve(file)), file + " of block " + range);
      }
    }

    Files.createDirectories(ours.resolve("wal"));
    String dumped = Promtool.run(tmp, "tsdb", "dump", ours.toString()).assertSuccess().stdout();
    assertEquals(String.join("\n", fixture.dumpLines()) + "\n", dumped, "promtool reads the input");

    String listed = Promtool.run(tmp, "tsdb", "list", ours.toString()).assertSuccess().stdout();
    assertEquals(listed, StrataCli.run("tsdb", "list", ours.toString()).assertSuccess().stdout());
    for (Path block : ourBlocks.values()) {
      String id = block.getFileName().toString();
      AnalyzeReport theirReport = AnalyzeReport.parse(Promtool.run(tmp,
          "tsdb", "analyze", "--limit=100000", "--extended", ours.toString(), id)
          .assertSuccess().stdout());
      AnalyzeReport ourReport = AnalyzeReport.parse(StrataCli.run(
          "tsdb", "analyze", "--limit=100000", "--extended", ours.toString(), id)
          .assertSuccess().stdout());
      AnalyzeReport.assertSame(theirReport, ourReport, theirReport, ourReport);
    }
  }

  @Test
  void takesPromtoolsFlags() throws Exception {
    OpenMetricsFixture fixture = OpenMetricsFixture.realistic(8, START, SPAN);
    Path input = fixture.write(tmp.resolve("input.om"));
    // Flags before the input kind, as promtool documents them, and after it.
    String[][] variants = {
      {"tsdb", "create-blocks-from", "-r", "--max-block-duration=24h", "openmetrics"},
      {"tsdb", "create-blocks-from", "openmetrics", "--human-readable",
        "--max-block-duration", "24h"},
    };
    for (int i = 0; i < variants.length; i++) {
      Path ours = tmp.resolve("ours-" + i);
      Path theirs = tmp.resolve("theirs-" + i);
      String[] oursArgs = append(variants[i], input.toString(), ours.toString());
      String[] theirArgs = append(variants[0], input.toString(), theirs.toString());
      String a = Promtool.run(tmp, theirArgs).assertSuccess().stdout();
      String b = StrataCli.run(oursArgs).assertSuccess().stdout();
      assertEquals(a.replaceAll(ULID, "<ulid>"), b.replaceAll(ULID, "<ulid>"));
      assertEquals(blocksByRange(theirs).keySet(), blocksByRange(ours).keySet());
      assertEquals(1, blocksByRange(ours).size(), "one 18 h block holds all 5 h");
    }
    Path quiet = tmp.resolve("quiet");
    StrataCli.Result q = StrataCli.run(
        "tsdb", "create-blocks-from", "--quiet", "openmetrics", input.toString(), quiet.toString())
        .assertSuccess();
    assertEquals("", q.stdout());
    assertTrue(blocksByRange(quiet).size() >= 3);
  }

  private static String[] append(String[] a, String... more) {
    String[] out = new String[a.length + more.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }

  private static Map<String, Path> blocksByRange(Path dir) throws Exception {
    Map<String, Path> out = new TreeMap<>();
    for (BlockDirectories.BlockDirectory b : BlockDirectories.list(dir)) {
      BlockMeta m = BlockMetaFile.read(b.path());
      out.put(m.minTime() + "-" + m.maxTime(), b.path());
    }
    return out;
  }
}
