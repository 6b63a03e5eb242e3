package dev.strata.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tier.block.ShipperState;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.storeapi.StoreClient;
import dev.strata.tier.storeapi.proto.InfoRequest;
import dev.strata.tier.storeapi.proto.InfoResponse;
import dev.strata.tier.storeapi.proto.Label;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.ChildJvm;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata jvm-metrics} as a member of the global view, a child process over a real S3
 * server (S3Proxy on loopback): its series over the StoreAPI with its external labels, through
 * {@code strata query} too, its blocks (2 s long here, with a 1 s sync) shipped with Thanos's
 * meta, and a SIGTERM that ships what was cut and closes the database. The stop comes after the
 * other tests of the running server; the usage errors run in this JVM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JvmMetricsServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "embedded";
  private static final Map<String, String> EXTERNAL = Map.of("service", "jvm", "replica", "a b");

  @TempDir static Path tmp;
  static LocalS3Server s3;
  static Bucket bucket;
  static Path dataDir;
  static ServerProcess server;
  static URI http;
  static String grpcTarget;

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3Server.inMemory();
    bucket = s3.bucket(BUCKET);
    Path config = tmp.resolve("bucket.yml");
    Files.writeString(config, "type: S3\nconfig:\n  bucket: " + BUCKET + "\n  endpoint: "
        + s3.endpoint().getAuthority() + "\n  insecure: true\n  access_key: "
        + LocalS3Server.ACCESS_KEY + "\n  secret_key: " + LocalS3Server.SECRET_KEY + "\n");
    dataDir = tmp.resolve("db");
    server = ServerProcess.start("strata jvm-metrics", ChildJvm.command(tmp.resolve("child-tmp"),
            StrataCommand.class, "jvm-metrics", "--data-dir=" + dataDir,
            "--grpc-address=127.0.0.1:0", "--http-address=127.0.0.1:0",
            "--grpc-grace-period=2s", "--http-grace-period=2s",
            "--objstore.config-file=" + config,
            // As Thanos takes them: quoted, one a bare value.
            "--label=service=jvm", "--label=replica=\"a b\"",
            "--tsdb.block-duration=2s", "--shipper.sync-interval=1s"),
        tmp.resolve("jvm-metrics.log"));
    http = URI.create("http://127.0.0.1:" + server.awaitPort("strata jvm-metrics: "));
    grpcTarget = "127.0.0.1:" + server.awaitGrpcPort("strata jvm-metrics: ");
    server.awaitReady(http, HTTP);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  @Order(1)
  void infoAdvertisesTheExternalLabelsAsASidecar() throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forTarget(grpcTarget).usePlaintext().build();
    try {
      InfoResponse info = StoreGrpc.newBlockingStub(channel).info(InfoRequest.getDefaultInstance());
      Map<String, String> labels = new TreeMap<>();
      for (Label l : info.getLabelsList()) {
        labels.put(l.getName(), l.getValue());
      }
      assertEquals(new TreeMap<>(EXTERNAL), labels);
      assertEquals("SIDECAR", info.getStoreType().name());
      assertEquals(Long.MAX_VALUE, info.getMaxTime(), "its data ends now");
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  @Order(2)
  void seriesCarryTheExternalLabels() throws Exception {
    await("the heap and threads series are served", () -> seriesNames().containsAll(
        Set.of("jvm_memory_used_bytes", "jvm_threads_live", "jvm_gc_collections_total")));
    long now = System.currentTimeMillis();
    try (StoreClient client = StoreClient.connect(grpcTarget, now - 600_000, now)) {
      SeriesSet set = client.select(LabelMatcher.equal("__name__", "jvm_memory_used_bytes"));
      List<Labels> seen = new ArrayList<>();
      while (set.next()) {
        seen.add(set.at().labels());
        assertTrue(set.at().samples().next(), "samples of " + set.at().labels());
      }
      assertEquals(List.of(
          Labels.of("__name__", "jvm_memory_used_bytes", "area", "heap", "job",
              "jvm-metrics-example", "replica", "a b", "service", "jvm"),
          Labels.of("__name__", "jvm_memory_used_bytes", "area", "nonheap", "job",
              "jvm-metrics-example", "replica", "a b", "service", "jvm")), seen);
    }
  }

  @Test
  @Order(3)
  void blocksGoToTheBucketWithThanosMeta() throws Exception {
    await("a block is in the bucket", () -> !shippedBlocks().isEmpty());
    for (Ulid block : shippedBlocks()) {
      BlockMeta meta = BlockMetaFile.decode(bucket.readAll(block + "/meta.json"), block + "/meta.json");
      ThanosMeta thanos = meta.thanos().orElseThrow();
      assertEquals(EXTERNAL, thanos.labels());
      assertEquals(ThanosMeta.SOURCE_SIDECAR, thanos.source());
      assertEquals(ThanosMeta.RESOLUTION_RAW, thanos.downsampleResolution());
      assertEquals(1, meta.compaction().level(), "cut from the head, never merged: " + meta);
      assertTrue(meta.maxTime() - meta.minTime() <= 2_000, "a 2 s block: " + meta);
      assertTrue(meta.stats().numSamples() > 0, meta.toString());
    }
    String metrics = get("/metrics").body();
    assertTrue(metrics.contains("thanos_shipper_uploads_total"), metrics);
    assertEquals(200, get("/-/healthy").statusCode());
  }

  @Test
  @Order(4)
  void theQuerierSeesItsSeries() throws Exception {
    try (ServerProcess query = ServerProcess.start("strata query", ChildJvm.command(
            tmp.resolve("query-tmp"), StrataCommand.class, "query", "--endpoint=" + grpcTarget,
            "--http-address=127.0.0.1:0", "--grpc-address=127.0.0.1:0"),
        tmp.resolve("query.log"))) {
      URI api = URI.create("http://127.0.0.1:" + query.awaitPort("strata query: "));
      String promql = "jvm_threads_live{service=\"jvm\"}";
      JsonNode[] result = new JsonNode[1];
      await("strata query answers " + promql, () -> {
        try {
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(api.resolve(
                  "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
              .build(), HttpResponse.BodyHandlers.ofString());
          result[0] = JSON.readTree(r.body()).path("data").path("result");
          return r.statusCode() == 200 && result[0].size() == 1;
        } catch (Exception e) {
          return false;
        }
      });
      JsonNode metric = result[0].get(0).path("metric");
      assertEquals("a b", metric.path("replica").asText());
      assertEquals("jvm-metrics-example", metric.path("job").asText());
      assertTrue(result[0].get(0).path("value").get(1).asDouble() > 0);
    }
  }

  @Test
  @Order(5)
  void aStopShipsWhatWasCutAndClosesTheDatabase() throws Exception {
    server.close(); // SIGTERM
    assertFalse(server.isAlive());
    assertTrue(server.log().contains("jvm-metrics: stopped"), server.log());
    Set<Ulid> local = new TreeSet<>();
    for (BlockDirectories.BlockDirectory d : BlockDirectories.list(dataDir)) {
      if (BlockMetaFile.read(d.path()).stats().numSamples() > 0) {
        local.add(d.ulid());
      }
    }
    assertFalse(local.isEmpty());
    assertEquals(local, ShipperState.read(dataDir).uploaded(), "every block recorded as shipped");
    assertEquals(local, shippedBlocks(), "every block in the bucket");
    // Closed: the directory's lock is free, and the head comes back from the WAL.
    try (Tsdb db = Tsdb.open(dataDir, TsdbOptions.defaults())) {
      assertTrue(db.stats().headSeries() > 0, db.stats().toString());
    }
  }

  @Test
  void shippingNeedsExternalLabelsAndServingNeedsNoSeconds() {
    StrataCli.Result noLabels = StrataCli.run("jvm-metrics", "--data-dir=" + tmp.resolve("x"),
        "--objstore.config-file=" + tmp.resolve("bucket.yml"));
    assertEquals(2, noLabels.exitCode(), "a usage error");
    assertTrue(noLabels.stderr().contains("--objstore.config-file needs external labels"),
        noLabels.stderr());
    StrataCli.Result seconds = StrataCli.run("jvm-metrics", "--data-dir=" + tmp.resolve("y"),
        "--label=a=\"b\"", "--seconds=3");
    assertEquals(2, seconds.exitCode(), "a usage error");
    assertTrue(seconds.stderr().contains("--seconds is for the report"), seconds.stderr());
    for (String bad : List.of("--label=nolabel", "--label=__name__=\"x\"", "--label=a=\"\"",
        "--label=a=\"b\"c\"")) {
      StrataCli.Result r = StrataCli.run("jvm-metrics", bad);
      assertEquals(2, r.exitCode(), bad + ": " + r.stderr());
      assertTrue(r.stderr().contains("--label"), r.stderr());
    }
  }

  private static Set<String> seriesNames() {
    long now = System.currentTimeMillis();
    Set<String> names = new TreeSet<>();
    try (StoreClient client = StoreClient.connect(grpcTarget, now - 600_000, now)) {
      SeriesSet set = client.select(LabelMatcher.equal("job", "jvm-metrics-example"));
      while (set.next()) {
        assertEquals("jvm", set.at().labels().get("service"), set.at().labels().toString());
        names.add(set.at().labels().get("__name__"));
      }
    }
    return names;
  }

  // The blocks whose meta.json is in the bucket: complete uploads only.
  private static Set<Ulid> shippedBlocks() {
    Set<Ulid> out = new TreeSet<>();
    try {
      bucket.iterate("", true, e -> {
        if (e.key().endsWith("/meta.json")) {
          out.add(Ulid.parse(e.key().substring(0, e.key().indexOf('/'))));
        }
      });
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(http.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + "\n" + server.log());
      }
      Thread.sleep(200);
    }
  }
}
