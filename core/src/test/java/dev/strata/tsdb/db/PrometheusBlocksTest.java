package dev.strata.tsdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.OpenMetricsText;
import dev.strata.tsdb.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks written by Prometheus's own tools, dropped into a database directory, are served. */
@Interop
class PrometheusBlocksTest {
  @TempDir Path tmp;

  @Test
  void blocksFromPromtoolAreQueriedLikeOurOwn() throws Exception {
    Path input = tmp.resolve("input.om");
    Files.writeString(input, OpenMetricsText.generate(7, 30, 1500, false));
    Path dir = tmp.resolve("db");
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", input.toString(), dir.toString())
        .assertSuccess();
    int promtoolBlocks = BlockDirectories.list(dir).size();
    assertTrue(promtoolBlocks >= 2);
    Files.createDirectories(dir.resolve("wal"));
    Promtool.Result expected = Promtool.run(tmp, "tsdb", "dump", dir.toString()).assertSuccess();
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.builder().automaticCompaction(false).build())) {
      assertEquals(promtoolBlocks, db.blocks().size());
      List<String> ours = TsdbTest.dump(db, Long.MIN_VALUE, Long.MAX_VALUE);
      assertEquals(List.of(expected.stdout().strip().split("\n")), ours);
      // Compacting them together keeps every sample.
      db.compact();
      assertEquals(ours, TsdbTest.dump(db, Long.MIN_VALUE, Long.MAX_VALUE));
    }
  }
}
