package dev.strata.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path tmp;

  private static String run(String... args) {
    return StrataCli.run(args).assertSuccess().stdout();
  }

  @Test
  @Interop
  void theDemoLeavesADatabasePromtoolReads() throws Exception {
    Path dir = tmp.resolve("demo");
    Path bucket = tmp.resolve("bucket");
    StrataCli.Result first = StrataCli.run("demo", "--data-dir", dir.toString(), "--bucket-dir",
        bucket.toString(), "--hosts", "2", "--days", "1").assertSuccess();
    String out = first.stdout();
    assertEquals("", first.stderr(), "no progress lines when the output is not a terminal");
    assertTrue(out.contains("ingested"), out);
    assertTrue(out.contains("bytes/sample"), out);
    assertTrue(out.contains("identical to the local read before shipping"), out);
    assertTrue(out.contains("./strata serve --storage.tsdb.path=" + dir), out);
    assertBusiestFirst(out);
    // Run again: the earlier demo's data directory and bucket are replaced, not mixed in.
    String again = run("demo", "--data-dir", dir.toString(), "--bucket-dir", bucket.toString(),
        "--hosts", "2", "--days", "1");
    assertTrue(again.contains("identical to the local read before shipping"), again);
    try (var shipped = Files.list(bucket)) {
      long bucketBlocks = shipped.filter(p -> p.getFileName().toString().length() == 26).count();
      assertTrue(again.contains("shipped " + bucketBlocks + " blocks"), again + bucketBlocks);
    }
    int blocks;
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.builder().automaticCompaction(false).build())) {
      blocks = db.blocks().size();
      assertTrue(blocks > 0, "the demo cut blocks");
    }
    Promtool.Result list = Promtool.run(tmp, "tsdb", "list", dir.toString()).assertSuccess();
    assertEquals(blocks + 1, list.stdout().strip().split("\n").length, list.stdout());
  }

  // The busiest CPUs come busiest first.
  private static void assertBusiestFirst(String out) {
    String section = out.substring(out.indexOf("busiest CPUs"), out.indexOf("regions:"));
    double previous = Double.MAX_VALUE;
    int lines = 0;
    for (String line : section.split("\n")) {
      if (line.startsWith("  {")) {
        double rate = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertTrue(rate <= previous, section);
        previous = rate;
        lines++;
      }
    }
    assertTrue(lines >= 2, section);
  }

  @Test
  void theDemoRefusesToWipeADirectoryItDidNotCreate() throws Exception {
    Path dir = tmp.resolve("precious");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "keep me");
    StrataCli.Result refused = StrataCli.run("demo", "--data-dir", dir.toString(), "--bucket-dir",
        tmp.resolve("bucket").toString(), "--hosts", "1", "--days", "1");
    assertTrue(refused.exitCode() != 0);
    assertTrue(Files.exists(dir.resolve("notes.txt")));
    assertTrue(refused.stderr().contains("holds files that are not an earlier demo"),
        refused.stderr());
  }

  @Test
  void theEmbeddingExampleRecordsAndReports() throws Exception {
    String out = run("jvm-metrics", "--data-dir", tmp.resolve("jvm").toString(), "--seconds", "2");
    assertTrue(out.contains("jvm_memory_used_bytes"), out);
    assertTrue(out.contains("jvm_threads_live"), out);
  }
}
