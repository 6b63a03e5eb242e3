package dev.strata.examples.cli;

import static java.util.stream.Collectors.toList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.server.ServerProcess;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.testing.ChildJvm;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    // The global view answered across bucket and database (the demo checks the sample count).
    assertTrue(out.contains("global view up in"), out);
    assertTrue(out.contains("read across the bucket (older half) and the database"), out);
    assertTrue(out.contains("max_source_resolution=auto:"), out);
    assertTrue(out.contains("The global view's UI: http://127.0.0.1:"), out);
    // Run again: the earlier demo's data directory and bucket are replaced, not mixed in.
    String again = run("demo", "--data-dir", dir.toString(), "--bucket-dir", bucket.toString(),
        "--hosts", "2", "--days", "1");
    assertTrue(again.contains("identical to the local read before shipping"), again);
    try (var shipped = Files.list(bucket)) {
      // Each block shipped, and its 5m copy.
      long bucketBlocks = shipped.filter(p -> p.getFileName().toString().length() == 26).count();
      assertTrue(again.contains("shipped " + bucketBlocks / 2 + " blocks"), again + bucketBlocks);
      assertTrue(again.contains("copies of the " + bucketBlocks / 2 + " blocks"), again);
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
  void withServeTheGlobalViewStaysUpUntilStoppedAndTakesItsServersAlong() throws Exception {
    List<ProcessHandle> servers;
    try (ServerProcess demo = ServerProcess.start("strata demo --serve", ChildJvm.command(
            tmp.resolve("child-tmp"), StrataCommand.class, "demo", "--serve",
            "--data-dir", tmp.resolve("served").toString(),
            "--bucket-dir", tmp.resolve("served-bucket").toString(), "--hosts", "1", "--days", "1"),
        tmp.resolve("demo.log"))) {
      demo.awaitLogLine("Serving until Ctrl-C");
      int port = demo.awaitPort("The global view's UI: ");
      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                  + URLEncoder.encode("count(node_load1)", StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, answer.statusCode(), answer.body());
      assertTrue(answer.body().contains("\"value\":["), answer.body());
      servers = ProcessHandle.of(demo.pid()).orElseThrow().descendants().collect(toList());
      assertEquals(2, servers.size(), "the store gateway and the querier: " + servers);
    }
    // SIGTERM to the demo stopped its servers too.
    for (ProcessHandle server : servers) {
      server.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theEmbeddingExampleRecordsAndReports() throws Exception {
    String out = run("jvm-metrics", "--data-dir", tmp.resolve("jvm").toString(), "--seconds", "2");
    assertTrue(out.contains("jvm_memory_used_bytes"), out);
    assertTrue(out.contains("jvm_threads_live"), out);
  }
}
