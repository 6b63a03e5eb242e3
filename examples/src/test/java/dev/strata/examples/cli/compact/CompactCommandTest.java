package dev.strata.examples.cli.compact;

import static dev.strata.tier.testing.SidecarBlocks.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCli;
import dev.strata.examples.cli.StrataCommand;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tier.block.MetaSync;
import dev.strata.tier.block.SyncedBlock;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.SidecarBlocks;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.testing.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata compact} over a filesystem bucket of blocks as sidecars upload them: one pass and
 * exit, {@code --wait} with its metrics and probes, a halt on overlapping blocks, and the options
 * it refuses.
 */
class CompactCommandTest {
  private static final Map<String, String> A = Map.of("cluster", "a", "replica", "0");
  private static final long T0 = 100 * 24 * HOUR;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path tmp;

  /** A bucket of {@code blocks} adjacent 2h blocks of stream A, and its config file. */
  private Path bucket(SidecarBlocks[] fixture, int blocks, boolean overlapping) throws Exception {
    Path dir = tmp.resolve("bucket");
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      fixture[0] = new SidecarBlocks(bucket, tmp.resolve("fixture"), UlidGenerator.system());
      for (int i = 0; i < blocks; i++) {
        fixture[0].upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 3);
      }
      if (overlapping) {
        fixture[0].upload(A, T0 + HOUR, T0 + 3 * HOUR, 3);
      }
    }
    Path config = tmp.resolve("bucket.yml");
    Files.writeString(config, "type: FILESYSTEM\nconfig:\n  directory: " + dir + "\n");
    return config;
  }

  private List<BlockMeta> liveBlocks() throws Exception {
    try (FilesystemBucket bucket = FilesystemBucket.open(tmp.resolve("bucket"))) {
      return MetaSync.builder(bucket).build().sync().blocks().values().stream()
          .filter(b -> b.deletionMark().isEmpty()).map(SyncedBlock::meta).toList();
    }
  }

  @Test
  void onePassCompactsTheBucketAndExits() throws Exception {
    SidecarBlocks[] fixture = new SidecarBlocks[1];
    Path config = bucket(fixture, 12, false);
    StrataCli.Result r = StrataCli.run("compact", "--objstore.config-file=" + config,
        "--data-dir=" + tmp.resolve("data"), "--http-address=127.0.0.1:0",
        "--consistency-delay=0s");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("one pass"), r.stdout());
    // Two 8h blocks and the four 2h blocks Thanos's planner leaves for later.
    List<BlockMeta> live = liveBlocks();
    assertEquals(6, live.size(), live.toString());
    assertEquals(2, live.stream().filter(b -> b.compaction().level() == 2).count());
    try (FilesystemBucket bucket = FilesystemBucket.open(tmp.resolve("bucket"))) {
      SidecarBlocks reread = new SidecarBlocks(bucket, tmp.resolve("reread"),
          UlidGenerator.system());
      assertEquals(fixture[0].written(A), reread.readRaw(A));
    }
  }

  @Test
  void withWaitItPassesAgainAndAgainWithMetricsRefusesASecondAndStopsOnSigterm() throws Exception {
    Path config = bucket(new SidecarBlocks[1], 6, false);
    try (ServerProcess compact = start(config, "--wait", "--wait-interval=1s")) {
      int port = compact.awaitPort("strata compact: ");
      awaitMetric(port, "thanos_compact_iterations_total", v -> v >= 2);
      assertEquals(200, get(port, "/-/ready").statusCode());
      assertEquals(200, get(port, "/-/healthy").statusCode());
      String metrics = get(port, "/metrics").body();
      assertTrue(metrics.contains("thanos_compact_halted 0"), metrics);
      assertTrue(metrics.contains("thanos_compact_group_compactions_total 1"), metrics);
      String blocks = get(port, "/api/v1/blocks").body();
      assertTrue(blocks.contains("\"status\":\"success\"") && blocks.contains("\"ulid\""), blocks);
      // A second compactor on the bucket (another scratch directory: another compactor) refuses.
      StrataCli.Result second = StrataCli.run("compact", "--objstore.config-file=" + config,
          "--data-dir=" + tmp.resolve("other-data"), "--http-address=127.0.0.1:0");
      assertEquals(1, second.exitCode(), second.stdout() + second.stderr());
      assertTrue(second.stderr().contains("another compactor holds bucket"), second.stderr());
      assertTrue(second.stderr().contains("pid " + compact.pid()), second.stderr());
      compact.close();
      assertTrue(compact.log().contains("compact: stopped"), compact.log());
    }
  }

  @Test
  void overlappingBlocksHaltItButItStaysUpAndSaysWhy() throws Exception {
    Path config = bucket(new SidecarBlocks[1], 4, true);
    try (ServerProcess compact = start(config, "--wait", "--wait-interval=1s", "--web.disable")) {
      int port = compact.awaitPort("strata compact: ");
      awaitMetric(port, "thanos_compact_halted", v -> v == 1);
      assertEquals(404, get(port, "/api/v1/blocks").statusCode(), "--web.disable");
      assertTrue(compact.log().contains("pre compaction overlap check"), compact.log());
      assertEquals(200, get(port, "/-/healthy").statusCode());
      assertEquals(5, liveBlocks().size(), "nothing was touched");
    }
  }

  @Test
  void retentionsThatWouldDeleteBlocksBeforeTheyAreDownsampledAreRefused() throws Exception {
    Path config = bucket(new SidecarBlocks[1], 1, false);
    StrataCli.Result r = StrataCli.run("compact", "--objstore.config-file=" + config,
        "--retention.resolution-raw=1d", "--http-address=127.0.0.1:0");
    assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stderr().contains("40h"), r.stderr());
    StrataCli.Result badFunc = StrataCli.run("compact", "--objstore.config-file=" + config,
        "--deduplication.func=median", "--http-address=127.0.0.1:0");
    assertEquals(2, badFunc.exitCode());
    assertTrue(badFunc.stderr().contains("--deduplication.func must be"), badFunc.stderr());
    StrataCli.Result noBucket = StrataCli.run("compact", "--http-address=127.0.0.1:0");
    assertEquals(2, noBucket.exitCode());
    assertTrue(noBucket.stderr().contains("--objstore.config-file"), noBucket.stderr());
  }

  private ServerProcess start(Path config, String... more) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("compact",
        "--objstore.config-file=" + config, "--data-dir=" + tmp.resolve("data"),
        "--http-address=127.0.0.1:0", "--consistency-delay=0s", "--log.level=info"));
    args.addAll(List.of(more));
    return ServerProcess.start("strata compact", ChildJvm.command(tmp.resolve("child-tmp"),
        StrataCommand.class, args.toArray(String[]::new)), tmp.resolve("compact.log"));
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitMetric(int port, String name, Predicate<Double> test)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      last = get(port, "/metrics").body();
      for (String line : last.split("\n")) {
        if (line.startsWith(name + " ") && test.test(
            Double.parseDouble(line.substring(name.length() + 1)))) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " never as expected:\n" + last);
  }
}
