package dev.strata.examples.cli.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.strata.examples.cli.StrataCommand;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tier.block.ShipperState;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.S3Bucket;
import dev.strata.tier.storeapi.StoreApiException;
import dev.strata.tier.storeapi.StoreClient;
import dev.strata.tier.storeapi.proto.InfoRequest;
import dev.strata.tier.storeapi.proto.LabelNamesRequest;
import dev.strata.tier.storeapi.proto.LabelValuesRequest;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tier.storeapi.proto.StoreType;
import dev.strata.tier.store.BucketStore;
import dev.strata.tier.store.BucketStoreOptions;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.encoding.GoFloatFormat;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.ChildJvm;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.PrometheusServer;
import dev.strata.tsdb.testing.Promtool;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata sidecar} as a child process beside a real Prometheus 2.42 (external labels, 2h
 * blocks, scraping itself and a target of the test's every second, its directory seeded with
 * backfilled blocks) and a real S3 server: the blocks arrive in Thanos's layout, the StoreAPI
 * answers with the blocks' samples and the ones scraped seconds ago, Prometheus going away and
 * coming back shows in readiness and errors, and a crash in mid-upload ships the block whole, once.
 * The tests run in order: the last ones stop and restart the processes.
 */
@Interop
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SidecarCommandTest {
  private static final long HOUR = 3_600_000;
  private static final String BUCKET = "sidecar";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path tmp;
  static GatedBlobStore blobs;
  static LocalS3Server s3;
  static Bucket bucket;
  static HttpServer target;
  static PrometheusServer prometheus;
  static ServerProcess sidecar;
  static Path promData;
  static Path bucketConfig;
  static long seedStart;
  static long seedEnd;
  static List<String> seededDump;
  static Set<Ulid> seededBlocks;
  static String grpcTarget;
  static URI sidecarHttp;

  @BeforeAll
  static void start() throws Exception {
    blobs = new GatedBlobStore(new TransientNio2BlobStore());
    s3 = LocalS3Server.of(blobs);
    bucket = s3.bucket(BUCKET);
    bucketConfig = tmp.resolve("bucket.yml");
    Files.writeString(bucketConfig, "type: S3\nconfig:\n  bucket: " + BUCKET + "\n  endpoint: "
        + s3.endpoint().getAuthority() + "\n  insecure: true\n  access_key: "
        + LocalS3Server.ACCESS_KEY + "\n  secret_key: " + LocalS3Server.SECRET_KEY + "\n");

    // Six hours of history ending two hours ago, in 2h blocks, as promtool backfills them.
    long now = System.currentTimeMillis();
    seedEnd = now / HOUR * HOUR - 2 * HOUR;
    seedStart = seedEnd - 6 * HOUR;
    promData = tmp.resolve("prometheus-data");
    seededBlocks = backfill("seeded_requests_total", seedStart, seedEnd, promData);
    seededDump = dump(promData);

    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/metrics", exchange -> {
      byte[] body = "# TYPE strata_test_target_value gauge\nstrata_test_target_value 42\n"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    target.start();
    prometheus = startPrometheus(0);
    sidecar = startSidecar("sidecar.log");
  }

  static PrometheusServer startPrometheus(int port) throws Exception {
    return PrometheusServer.start(tmp, promData, p -> "global:\n  scrape_interval: 1s\n"
            + "  external_labels:\n    cluster: test\n    replica: a\n"
            + "scrape_configs:\n"
            + "  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:" + p + "']\n"
            + "  - job_name: target\n    static_configs:\n      - targets: ['127.0.0.1:"
            + target.getAddress().getPort() + "']\n",
        port, List.of("--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h"));
  }

  static ServerProcess startSidecar(String log) throws Exception {
    ServerProcess p = ServerProcess.start("strata sidecar", ChildJvm.command(tmp.resolve("child-tmp"),
            StrataCommand.class, "sidecar", "--tsdb.path=" + promData,
            "--prometheus.url=" + prometheus.baseUri(), "--objstore.config-file=" + bucketConfig,
            "--grpc-address=127.0.0.1:0", "--http-address=127.0.0.1:0",
            "--prometheus.get_config_interval=1s", "--shipper.sync-interval=1s"),
        tmp.resolve(log));
    grpcTarget = "127.0.0.1:" + p.awaitGrpcPort("strata sidecar: ");
    sidecarHttp = URI.create("http://127.0.0.1:" + p.awaitPort("strata sidecar: "));
    p.awaitReady(sidecarHttp, HTTP);
    return p;
  }

  /** Backfills one counter per path, a sample every 15 s over [start, end), into {@code dir}. */
  static Set<Ulid> backfill(String metric, long start, long end, Path dir) throws Exception {
    StringBuilder om = new StringBuilder("# TYPE " + metric.replace("_total", "") + " counter\n");
    for (String path : new String[] {"/a", "/b", "/c"}) {
      long v = 0;
      for (long t = start; t < end; t += 15_000) {
        v += path.length() + (t / 15_000) % 7;
        om.append(metric).append("{path=\"").append(path).append("\"} ").append(v).append(' ')
            .append(t / 1000).append('\n');
      }
    }
    om.append("# EOF\n");
    Path in = tmp.resolve(metric + ".om");
    Files.writeString(in, om);
    Set<Ulid> before = ulids(dir);
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", in.toString(), dir.toString())
        .assertSuccess();
    Set<Ulid> added = ulids(dir);
    added.removeAll(before);
    return added;
  }

  static Set<Ulid> ulids(Path dir) throws Exception {
    Set<Ulid> out = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      BlockDirectories.list(dir).forEach(d -> out.add(d.ulid()));
    }
    return out;
  }

  /** promtool's dump as {@code labels value timestamp} lines, sorted. */
  static List<String> dump(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("wal")); // promtool reads the WAL too; Prometheus makes one
    List<String> lines = new ArrayList<>(
        Promtool.run(tmp, "tsdb", "dump", dir.toString()).assertSuccess().stdout().lines().toList());
    lines.sort(null);
    return lines;
  }

  @AfterAll
  static void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (target != null) {
      target.stop(0);
    }
    if (s3 != null) {
      s3.close();
    }
  }

  static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + "\n" + sidecar.log());
      }
      Thread.sleep(100);
    }
  }

  static boolean inBucket(Ulid block) {
    try {
      return bucket.exists(block + "/meta.json");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String get(URI base, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static int status(URI base, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Samples of the series {@code matchers} select, as promtool dumps them. */
  static List<String> seriesAsDump(long mint, long maxt, LabelMatcher... matchers) {
    List<String> lines = new ArrayList<>();
    try (StoreClient client = StoreClient.connect(grpcTarget, mint, maxt)) {
      SeriesSet set = client.select(matchers);
      while (set.next()) {
        Series s = set.at();
        SampleIterator it = s.samples();
        while (it.next()) {
          if (it.t() >= mint && it.t() <= maxt) {
            lines.add(s.labels() + " " + GoFloatFormat.general(it.v()) + " " + it.t());
          }
        }
      }
    }
    lines.sort(null);
    return lines;
  }

  @Test
  @Order(1)
  void shipsTheBackfilledBlocksInThanosLayout() throws Exception {
    assertFalse(seededBlocks.isEmpty());
    for (Ulid block : seededBlocks) {
      await("block " + block + " is in the bucket", () -> inBucket(block));
      BlockMeta meta = BlockMetaFile.decode(bucket.readAll(block + "/meta.json"), block + "/meta.json");
      var thanos = meta.thanos().orElseThrow();
      assertEquals("sidecar", thanos.source());
      assertEquals(java.util.Map.of("cluster", "test", "replica", "a"), thanos.labels());
      assertEquals(Files.size(promData.resolve(block.toString()).resolve("index")),
          bucket.attributes(block + "/index").size());
    }
    await("thanos.shipper.json lists the blocks", () -> {
      try {
        return ShipperState.read(promData).uploaded().containsAll(seededBlocks);
      } catch (Exception e) {
        return false;
      }
    });
    // Prometheus's own block directories are left as they were.
    for (Ulid block : seededBlocks) {
      assertFalse(Files.exists(promData.resolve(block.toString()).resolve("thanos")));
    }
  }

  @Test
  @Order(2)
  void seriesAnswersWithTheBlocksSamplesAndExternalLabels() throws Exception {
    List<String> expected = new ArrayList<>();
    for (String line : seededDump) {
      // {__name__="seeded_requests_total", path="/a"} 12 1700000000000
      expected.add(line.replace("{__name__=\"seeded_requests_total\", path=",
          "{__name__=\"seeded_requests_total\", cluster=\"test\", path=").replace("\"} ",
          "\", replica=\"a\"} "));
    }
    expected.sort(null);
    List<String> served = seriesAsDump(seedStart, seedEnd,
        LabelMatcher.equal("__name__", "seeded_requests_total"));
    assertEquals(expected.size(), served.size());
    assertEquals(expected, served);
  }

  @Test
  @Order(3)
  void seriesIncludesSamplesScrapedSecondsAgo() throws Exception {
    await("a scrape of the test's target is served", () -> {
      long now = System.currentTimeMillis();
      return !seriesAsDump(now - 10_000, now,
          LabelMatcher.equal("__name__", "strata_test_target_value")).isEmpty();
    });
    await("a scrape of Prometheus itself is served", () -> {
      long now = System.currentTimeMillis();
      return !seriesAsDump(now - 10_000, now, LabelMatcher.equal("__name__", "up"),
          LabelMatcher.equal("job", "prometheus")).isEmpty();
    });
    long now = System.currentTimeMillis();
    List<String> recent = seriesAsDump(now - 30_000, now,
        LabelMatcher.equal("__name__", "up"), LabelMatcher.equal("job", "prometheus"));
    assertFalse(recent.isEmpty(), prometheus.log());
    long newest = Long.parseLong(recent.get(recent.size() - 1).replaceAll(".* ", ""));
    assertTrue(recent.stream().anyMatch(l -> l.endsWith(" " + newest)));
    assertTrue(recent.get(0).contains("cluster=\"test\"") && recent.get(0).contains("replica=\"a\""),
        recent.get(0));
    assertTrue(now - recent.stream().mapToLong(l -> Long.parseLong(l.replaceAll(".* ", "")))
        .max().orElseThrow() < 15_000, recent.toString());
  }

  @Test
  @Order(4)
  void infoAndLabelCalls() throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forTarget(grpcTarget).usePlaintext().build();
    try {
      var store = StoreGrpc.newBlockingStub(channel);
      var info = store.info(InfoRequest.getDefaultInstance());
      assertEquals(StoreType.SIDECAR, info.getStoreType());
      assertEquals(Long.MAX_VALUE, info.getMaxTime());
      assertEquals(1, info.getLabelSetsCount());
      assertEquals("[cluster=test, replica=a]", info.getLabelSets(0).getLabelsList().stream()
          .map(l -> l.getName() + "=" + l.getValue()).toList().toString());
      long now = System.currentTimeMillis();
      List<String> names = store.labelNames(LabelNamesRequest.newBuilder().setStart(seedStart)
          .setEnd(now).build()).getNamesList();
      assertTrue(names.containsAll(List.of("__name__", "cluster", "job", "path", "replica")), names.toString());
      List<String> jobs = store.labelValues(LabelValuesRequest.newBuilder().setLabel("job")
          .setStart(now - HOUR).setEnd(now).build()).getValuesList();
      assertEquals(List.of("prometheus", "target"), jobs);
      List<String> paths = store.labelValues(LabelValuesRequest.newBuilder().setLabel("path")
          .setStart(seedStart).setEnd(seedEnd).build()).getValuesList();
      assertEquals(List.of("/a", "/b", "/c"), paths);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  @Order(5)
  void metricsAndProbes() throws Exception {
    assertEquals(200, status(sidecarHttp, "/-/healthy"));
    assertEquals(200, status(sidecarHttp, "/-/ready"));
    String metrics = get(sidecarHttp, "/metrics");
    assertTrue(metrics.contains("thanos_sidecar_prometheus_up 1.0"), metrics);
    assertTrue(metrics.contains("thanos_shipper_uploads_total " + seededBlocks.size() + ".0"), metrics);
    assertTrue(metrics.contains("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Series\""),
        metrics);
    assertTrue(metrics.contains("strata_storeapi_chunks_sent_total"), metrics);
  }

  @Test
  @Order(6)
  void prometheusGoingAwayAndComingBack() throws Exception {
    int port = prometheus.port();
    prometheus.close();
    await("the sidecar is not ready", () -> {
      try {
        return status(sidecarHttp, "/-/ready") == 503;
      } catch (Exception e) {
        return false;
      }
    });
    long now = System.currentTimeMillis();
    StoreApiException e = assertThrows(StoreApiException.class, () ->
        seriesAsDump(now - 60_000, now, LabelMatcher.equal("__name__", "up")));
    assertTrue(e.getMessage().contains("UNAVAILABLE"), e.getMessage());
    assertTrue(e.getMessage().contains(prometheus.baseUri().getAuthority()), e.getMessage());
    assertTrue(get(sidecarHttp, "/metrics").contains("thanos_sidecar_prometheus_up 0.0"));

    prometheus = startPrometheus(port);
    await("the sidecar is ready again", () -> {
      try {
        return status(sidecarHttp, "/-/ready") == 200;
      } catch (Exception x) {
        return false;
      }
    });
    assertFalse(seriesAsDump(seedStart, seedEnd,
        LabelMatcher.equal("__name__", "seeded_requests_total")).isEmpty());
  }

  @Test
  @Order(7)
  void aCrashInMidUploadShipsTheBlockWholeExactlyOnce() throws Exception {
    // A new block appears in Prometheus's directory (moved in whole, as Prometheus writes one).
    Path staging = tmp.resolve("late-blocks");
    long lateStart = Math.floorDiv(seedStart - 6 * HOUR, 2 * HOUR) * 2 * HOUR; // one 2h block
    Set<Ulid> late = backfill("late_requests_total", lateStart, lateStart + 2 * HOUR, staging);
    assertEquals(1, late.size(), late.toString());
    Ulid block = late.iterator().next();
    blobs.hold(key -> key.equals(block + "/index"));
    Files.move(staging.resolve(block.toString()), promData.resolve(block.toString()),
        StandardCopyOption.ATOMIC_MOVE);
    assertTrue(blobs.awaitHeld(60), "the upload of the new block's index never started\n" + sidecar.log());
    sidecar.kill();
    blobs.release();

    // Its chunks went up, its meta.json did not: no store lists it.
    assertTrue(blobs.writes().contains(block + "/chunks/000001"), blobs.writes().toString());
    assertFalse(inBucket(block));
    try (BucketStore store = BucketStore.open(bucket,
        BucketStoreOptions.builder(tmp.resolve("store-cache")).build())) {
      assertTrue(store.sync().stream().noneMatch(b -> b.ulid().equals(block)));
    }
    assertFalse(ShipperState.read(promData).uploaded().contains(block));

    sidecar = startSidecar("sidecar-restarted.log");
    await("the block is shipped after the restart", () -> inBucket(block));
    await("thanos.shipper.json records it", () -> {
      try {
        return ShipperState.read(promData).uploaded().contains(block);
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals(1, blobs.writes().stream().filter((block + "/meta.json")::equals).count(),
        blobs.writes().toString());
    for (String file : List.of("index", "chunks/000001")) {
      assertEquals(Files.size(promData.resolve(block.toString()).resolve(file)),
          bucket.attributes(block + "/" + file).size(), file);
      assertTrue(java.util.Arrays.equals(Files.readAllBytes(promData.resolve(block.toString()).resolve(file)),
          bucket.readAll(block + "/" + file)), file);
    }
    try (BucketStore store = BucketStore.open(bucket,
        BucketStoreOptions.builder(tmp.resolve("store-cache")).build())) {
      assertEquals(1, store.sync().stream().filter(b -> b.ulid().equals(block)).count());
    }
    assertNotEquals(0, sidecar.pid());
  }

  @Test
  @Order(8)
  void stopsGracefullyOnSigterm() throws Exception {
    sidecar.close();
    assertTrue(sidecar.log().contains("sidecar: stopped"), sidecar.log());
    sidecar = null;
  }
}
