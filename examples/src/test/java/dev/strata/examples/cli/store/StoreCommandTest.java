package dev.strata.examples.cli.store;

import static dev.strata.tier.testing.TestTsdb.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCli;
import dev.strata.examples.cli.StrataCommand;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tier.storeapi.proto.InfoRequest;
import dev.strata.tier.storeapi.proto.LabelMatcher;
import dev.strata.tier.storeapi.proto.LabelNamesRequest;
import dev.strata.tier.storeapi.proto.LabelValuesRequest;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tier.storeapi.proto.StoreType;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.downsample.Downsampler;
import dev.strata.downsample.Resolutions;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.encoding.GoFloatFormat;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.testing.ChildJvm;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata store} as a child process over a real S3 server (S3Proxy on loopback) holding raw
 * and downsampled blocks of several external label sets, queried over gRPC as a Thanos querier
 * queries it: the samples equal promtool's dump of the blocks, resolutions and aggregates are
 * chosen as Thanos's store gateway chooses them, and the bucket changing under it (a new block, a
 * deletion mark, a damaged object) shows as it should. The tests that change the bucket run last.
 */
@Interop
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreCommandTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BUCKET = "store";
  private static final Map<String, String> EU = Map.of("cluster", "eu", "replica", "a");
  private static final Map<String, String> US = Map.of("cluster", "us");

  @TempDir static Path tmp;
  static LocalS3Server s3;
  static Bucket bucket;
  static BucketBlocks blocks;
  static ServerProcess store;
  static ManagedChannel channel;
  static StoreGrpc.StoreBlockingStub stub;
  static URI http;
  static Path euDir;
  static Path usDir;
  static Path fiveMinuteDir;
  static List<Ulid> usBlocks;

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3Server.inMemory();
    bucket = s3.bucket(BUCKET);
    blocks = new BucketBlocks(bucket);
    // Two 2h blocks per label set over [0, 4h), 15 s apart; a 5m block of eu's first one.
    euDir = tmp.resolve("eu");
    usDir = tmp.resolve("us");
    TestTsdb.levelOneBlocks(euDir, 1, 12, 2, 15_000, 1);
    TestTsdb.levelOneBlocks(usDir, 1, 6, 2, 15_000, 2);
    upload(euDir, EU, Resolutions.RAW);
    usBlocks = upload(usDir, US, Resolutions.RAW);
    fiveMinuteDir = tmp.resolve("eu-5m");
    Ulid first = BlockDirectories.list(euDir).get(0).ulid();
    try (Block b = Block.open(BlockDirectories.path(euDir, first))) {
      Downsampler.downsample(b, Resolutions.FIVE_MINUTES, fiveMinuteDir);
    }
    upload(fiveMinuteDir, EU, Resolutions.FIVE_MINUTES);
    for (Path d : List.of(euDir, usDir, fiveMinuteDir)) {
      Files.createDirectories(d.resolve("wal")); // so that promtool dumps the blocks alone
    }

    Path config = tmp.resolve("bucket.yml");
    Files.writeString(config, "type: S3\nconfig:\n  bucket: " + BUCKET + "\n  endpoint: "
        + s3.endpoint().getAuthority() + "\n  insecure: true\n  access_key: "
        + LocalS3Server.ACCESS_KEY + "\n  secret_key: " + LocalS3Server.SECRET_KEY + "\n");
    store = ServerProcess.start("strata store", ChildJvm.command(tmp.resolve("child-tmp"),
            StrataCommand.class, "store", "--objstore.config-file=" + config,
            "--data-dir=" + tmp.resolve("store-data"), "--grpc-address=127.0.0.1:0",
            "--http-address=127.0.0.1:0", "--sync-block-duration=1s",
            "--ignore-deletion-marks-delay=10s"),
        tmp.resolve("store.log"));
    http = URI.create("http://127.0.0.1:" + store.awaitPort("strata store: "));
    int grpc = store.awaitGrpcPort("strata store: ");
    store.awaitReady(http, HTTP);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc).usePlaintext()
        .maxInboundMessageSize(Integer.MAX_VALUE).build();
    stub = StoreGrpc.newBlockingStub(channel);
  }

  static List<Ulid> upload(Path dir, Map<String, String> labels, long resolution) throws Exception {
    List<Ulid> out = new ArrayList<>();
    for (var d : BlockDirectories.list(dir)) {
      blocks.upload(d.path(), new ThanosMeta(labels, resolution, "test"));
      out.add(d.ulid());
    }
    return out;
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (store != null) {
      store.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  static LabelMatcher eq(String name, String value) {
    return LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName(name).setValue(value)
        .build();
  }

  static LabelMatcher re(String name, String value) {
    return LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName(name).setValue(value)
        .build();
  }

  static List<dev.strata.tier.storeapi.proto.Series> series(SeriesRequest request) {
    List<dev.strata.tier.storeapi.proto.Series> out = new ArrayList<>();
    Iterator<SeriesResponse> it = stub.series(request);
    while (it.hasNext()) {
      SeriesResponse r = it.next();
      if (r.hasSeries()) {
        out.add(r.getSeries());
      }
    }
    return out;
  }

  static List<String> warnings(SeriesRequest request) {
    List<String> out = new ArrayList<>();
    stub.series(request).forEachRemaining(r -> {
      if (!r.getWarning().isEmpty()) {
        out.add(r.getWarning());
      }
    });
    return out;
  }

  static Labels labels(dev.strata.tier.storeapi.proto.Series s) {
    Labels.Builder b = Labels.builder();
    s.getLabelsList().forEach(l -> b.set(l.getName(), l.getValue()));
    return b.build();
  }

  /** The samples of {@code chunk} in {@code [mint, maxt]} as dump lines of {@code labels}. */
  static void dumpLines(Labels labels, Chunk chunk, long mint, long maxt, List<String> out) {
    byte[] data = chunk.getData().toByteArray();
    XorChunkIterator it = new XorChunkIterator().reset(data, 0, data.length);
    while (it.next()) {
      if (it.atT() >= mint && it.atT() <= maxt) {
        out.add(labels + " " + GoFloatFormat.general(it.atV()) + " " + it.atT());
      }
    }
  }

  static List<String> promtoolDump(Path dir) throws Exception {
    List<String> lines = new ArrayList<>(Promtool.run(tmp, "tsdb", "dump", dir.toString())
        .assertSuccess().stdout().lines().toList());
    lines.sort(null);
    return lines;
  }

  /** Dump lines of the served series, by their {@code cluster}, without the external labels. */
  static Map<String, List<String>> byCluster(List<dev.strata.tier.storeapi.proto.Series> served,
      long mint, long maxt) {
    Map<String, List<String>> out = new TreeMap<>();
    for (var s : served) {
      Labels all = labels(s);
      Labels own = all.toBuilder().remove("cluster").remove("replica").build();
      List<String> lines = out.computeIfAbsent(all.get("cluster"), k -> new ArrayList<>());
      for (AggrChunk c : s.getChunksList()) {
        assertTrue(c.hasRaw(), "a raw chunk: " + c);
        dumpLines(own, c.getRaw(), mint, maxt, lines);
      }
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + "\n" + store.log());
      }
      Thread.sleep(200);
    }
  }

  @Test
  @Order(1)
  void rawSeriesEqualTheBlocksDumps() throws Exception {
    List<dev.strata.tier.storeapi.proto.Series> served = series(SeriesRequest.newBuilder()
        .setMinTime(0).setMaxTime(4 * HOUR - 1).addMatchers(re("__name__", "metric_.*"))
        .addMatchers(re("cluster", "eu|us")).build());
    for (int i = 1; i < served.size(); i++) {
      assertTrue(labels(served.get(i - 1)).compareTo(labels(served.get(i))) < 0,
          "sorted by labels at " + i);
    }
    Map<String, List<String>> lines = byCluster(served, 0, 4 * HOUR - 1);
    assertEquals(promtoolDump(euDir), lines.get("eu"));
    assertEquals(promtoolDump(usDir), lines.get("us"));
    assertTrue(labels(served.get(0)).get("replica").equals("a"));
  }

  @Test
  @Order(2)
  void skipChunksGivesTheSameSeriesWithoutChunks() {
    SeriesRequest.Builder r = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * HOUR - 1)
        .addMatchers(eq("job", "api"));
    List<Labels> full = series(r.build()).stream().map(StoreCommandTest::labels).toList();
    var skipped = series(r.setSkipChunks(true).build());
    assertEquals(full, skipped.stream().map(StoreCommandTest::labels).toList());
    assertTrue(skipped.stream().allMatch(s -> s.getChunksCount() == 0));
    assertEquals(6, full.size()); // 4 of eu's 12 series and 2 of us's 6 have job="api"
  }

  @Test
  @Order(3)
  void aResolutionWindowServesDownsampledAggregatesAndRawDataWhereThereAreNone() throws Exception {
    var served = series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * HOUR - 1)
        .addMatchers(eq("cluster", "eu")).addMatchers(eq("__name__", "metric_0"))
        .setMaxResolutionWindow(Resolutions.FIVE_MINUTES)
        .addAggregates(Aggr.COUNT).addAggregates(Aggr.SUM).build());
    assertEquals(6, served.size());
    List<String> sums = new ArrayList<>();
    for (var s : served) {
      Labels own = labels(s).toBuilder().remove("cluster").remove("replica").build();
      for (AggrChunk c : s.getChunksList()) {
        if (c.getMinTime() < 2 * HOUR) {
          assertFalse(c.hasRaw(), "the first 2 h come from the 5m block");
          assertTrue(c.hasCount() && c.hasSum() && !c.hasMin() && !c.hasMax() && !c.hasCounter(),
              "exactly the aggregates asked for: " + c);
          dumpLines(own, c.getSum(), 0, 2 * HOUR - 1, sums);
        } else {
          assertTrue(c.hasRaw(), "raw data fills the rest: " + c);
        }
      }
    }
    sums.sort(null);
    List<String> expected = StrataCli.run("tsdb", "dump", "--aggregate=sum",
        fiveMinuteDir.toString()).assertSuccess().stdout().lines()
        .filter(l -> l.startsWith("{__name__=\"metric_0\"")).sorted().toList();
    assertFalse(expected.isEmpty());
    assertEquals(expected, sums);

    // Without a window, the same request is answered from raw blocks only.
    var raw = series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * HOUR - 1)
        .addMatchers(eq("cluster", "eu")).addMatchers(eq("__name__", "metric_0"))
        .addAggregates(Aggr.COUNT).addAggregates(Aggr.SUM).build());
    assertTrue(raw.stream().flatMap(s -> s.getChunksList().stream()).allMatch(AggrChunk::hasRaw));
  }

  @Test
  @Order(4)
  void infoAndLabelCalls() {
    var info = stub.info(InfoRequest.getDefaultInstance());
    assertEquals(StoreType.STORE, info.getStoreType());
    List<String> sets = info.getLabelSetsList().stream().map(ls -> ls.getLabelsList().stream()
        .map(l -> l.getName() + "=" + l.getValue()).toList().toString()).sorted().toList();
    assertTrue(sets.containsAll(List.of("[cluster=eu, replica=a]", "[cluster=us]")), sets.toString());
    assertEquals(0, info.getMinTime());
    List<String> names = stub.labelNames(LabelNamesRequest.newBuilder().setStart(0)
        .setEnd(4 * HOUR).build()).getNamesList();
    assertTrue(names.containsAll(List.of("__name__", "cluster", "instance", "job", "replica")),
        names.toString());
    assertEquals(List.of("eu", "us"), stub.labelValues(LabelValuesRequest.newBuilder()
        .setLabel("cluster").setStart(0).setEnd(4 * HOUR).addMatchers(re("cluster", "eu|us"))
        .build()).getValuesList());
    assertEquals(List.of("api", "db"), stub.labelValues(LabelValuesRequest.newBuilder()
        .setLabel("job").setStart(0).setEnd(4 * HOUR).addMatchers(eq("cluster", "us"))
        .build()).getValuesList());
  }

  @Test
  @Order(7)
  void aBlockUploadedWhileRunningIsServedAfterASync() throws Exception {
    Path apDir = tmp.resolve("ap");
    TestTsdb.levelOneBlocks(apDir, 1, 3, 1, 60_000, 3);
    upload(apDir, Map.of("cluster", "ap"), Resolutions.RAW);
    await("the ap blocks are served", () -> !series(SeriesRequest.newBuilder().setMinTime(0)
        .setMaxTime(4 * HOUR).addMatchers(eq("cluster", "ap")).addMatchers(re("job", ".+"))
        .build()).isEmpty());
    assertEquals(3, series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * HOUR)
        .addMatchers(eq("cluster", "ap")).addMatchers(re("job", ".+")).build()).size());
  }

  @Test
  @Order(8)
  void aBlockMarkedForDeletionIsDroppedOnceTheMarkIsOlderThanTheDelay() throws Exception {
    Ulid marked = usBlocks.get(1); // [2h, 4h)
    SeriesRequest late = SeriesRequest.newBuilder().setMinTime(2 * HOUR).setMaxTime(4 * HOUR - 1)
        .addMatchers(eq("cluster", "us")).addMatchers(re("job", ".+")).build();
    blocks.markForDeletion(marked, "test");
    long markedAt = System.nanoTime();
    Thread.sleep(2_500); // two syncs: the mark is seen, and younger than the 10 s delay
    if ((System.nanoTime() - markedAt) / 1_000_000 < 8_000) {
      assertFalse(series(late).stream().allMatch(s -> s.getChunksCount() == 0),
          "still served while the mark is young");
    }
    await("the marked block is no longer served", () -> series(late).stream()
        .allMatch(s -> s.getChunksList().stream().allMatch(c -> c.getMaxTime() < 2 * HOUR)));
  }

  @Test
  @Order(9)
  void aDamagedChunkSegmentIsAnErrorNamingTheBlock() throws Exception {
    Path brokenDir = tmp.resolve("broken");
    TestTsdb.levelOneBlocks(brokenDir, 1, 3, 1, 15_000, 4);
    Ulid broken = upload(brokenDir, Map.of("cluster", "broken"), Resolutions.RAW).get(0);
    String key = broken + "/chunks/000001";
    byte[] bytes = bucket.readAll(key);
    for (int i = 100; i < bytes.length - 8; i += 50) {
      bytes[i] ^= 0x5a;
    }
    bucket.upload(key, bytes);
    SeriesRequest.Builder r = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(2 * HOUR - 1)
        .addMatchers(re("cluster", "broken|us")).addMatchers(re("job", ".+"));
    // Under the WARN strategy (the default of a request), the block becomes a warning frame and
    // the other blocks answer.
    await("the broken block is served", () -> warnings(r.build()).stream()
        .anyMatch(w -> w.contains(broken.toString())));
    assertEquals(6, series(r.build()).size(), "us's series are still served");
    // Under ABORT, the call fails, naming the block.
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> series(
        r.setPartialResponseStrategy(PartialResponseStrategy.ABORT).build()));
    assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
  }

  @Test
  @Order(5)
  void probesAndMetrics() throws Exception {
    series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * HOUR - 1)
        .addMatchers(eq("job", "db")).build());
    series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * HOUR - 1)
        .addMatchers(eq("job", "db")).build());
    assertEquals(200, HTTP.send(HttpRequest.newBuilder(http.resolve("/-/healthy")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());
    String metrics = HTTP.send(HttpRequest.newBuilder(http.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(metrics.contains("thanos_bucket_store_blocks_loaded "), metrics);
    assertTrue(metrics.matches("(?s).*strata_bucket_fetched_bytes_total [1-9].*"), metrics);
    assertTrue(metrics.matches("(?s).*strata_bucket_cache_hits_total\\{cache=\"series\"} [1-9].*"),
        metrics);
    assertTrue(metrics.contains("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Series\""),
        metrics);
    // The bucket web page's API, listed on the store's own schedule.
    await("/api/v1/blocks lists blocks", () -> {
      try {
        return HTTP.send(HttpRequest.newBuilder(http.resolve("/api/v1/blocks")).build(),
            HttpResponse.BodyHandlers.ofString()).body().contains("\"ulid\"");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  @Order(6)
  void bothServersListTheirFlags() {
    String sidecar = StrataCli.run("sidecar", "--help").assertSuccess().stdout();
    for (String flag : List.of("--tsdb.path", "--prometheus.url", "--objstore.config-file",
        "--grpc-address", "--http-address", "--shipper.upload-compacted", "--min-time",
        "--log.level")) {
      assertTrue(sidecar.contains(flag), flag + " in\n" + sidecar);
    }
    String store = StrataCli.run("store", "--help").assertSuccess().stdout();
    for (String flag : List.of("--data-dir", "--objstore.config-file", "--grpc-address",
        "--http-address", "--sync-block-duration", "--index-cache-size", "--min-time",
        "--max-time", "--ignore-deletion-marks-delay", "--log.level")) {
      assertTrue(store.contains(flag), flag + " in\n" + store);
    }
    StrataCli.Result missing = StrataCli.run("store");
    assertEquals(2, missing.exitCode());
    assertTrue(missing.stderr().contains("--objstore.config-file"), missing.stderr());
  }
}
