package dev.strata.examples.cli;

import dev.strata.examples.cli.sidecar.ShipperLoop;
import dev.strata.examples.embedded.JvmMetricsService;
import dev.strata.examples.server.GrpcMetrics;
import dev.strata.examples.server.HttpServer;
import dev.strata.examples.server.ListenAddress;
import dev.strata.examples.server.ServerLifecycle;
import dev.strata.tier.block.Shipper;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.TsdbStoreSource;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.Labels;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParameterException;

/**
 * {@code strata jvm-metrics} as a server: the embedded database served over the StoreAPI, as
 * {@code thanos sidecar} serves a Prometheus, and with a bucket its blocks shipped there by the
 * sidecar's {@link ShipperLoop}, in the same process that writes them. Stopping (SIGTERM) closes,
 * in order: the HTTP and gRPC listeners after their grace periods, the shipping loop, a last
 * ship of the blocks cut meanwhile, the bucket, then the recording and the database, whose WAL
 * keeps the head for the next start.
 */
final class JvmMetricsServer {
  private final JvmMetricsCommand options;
  private final Logger log = LoggerFactory.getLogger(JvmMetricsServer.class);

  JvmMetricsServer(JvmMetricsCommand options) {
    this.options = options;
  }

  int run() throws Exception {
    Map<String, String> labels = options.externalLabels.asMap(options.spec);
    Optional<BucketConfig> bucketConfig = options.objstore.config();
    if (bucketConfig.isPresent() && labels.isEmpty()) {
      // As Thanos: blocks without external labels cannot be told from other producers' blocks.
      throw new ParameterException(options.spec.commandLine(), "--objstore.config-file needs"
          + " external labels telling this service's blocks apart in the bucket, e.g."
          + " --label=service=\"checkout\" --label=replica=\"a\"");
    }
    ServerLifecycle lifecycle = new ServerLifecycle("jvm-metrics");
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);

    TsdbOptions.Builder tsdb = TsdbOptions.builder().blockRange(options.blockDuration);
    if (bucketConfig.isPresent()) {
      // The blocks cut from the head are shipped as they are; merged ones would be the same
      // samples again (Thanos asks the same of a Prometheus with a sidecar: equal min and max
      // block durations). The compactor merges them in the bucket.
      tsdb.maxBlockRange(options.blockDuration);
    }
    JvmMetricsService metrics = lifecycle.closeAtStop(
        JvmMetricsService.start(options.dataDir, Duration.ofSeconds(1), tsdb.build()));
    Tsdb db = metrics.database();

    if (bucketConfig.isPresent()) {
      Bucket bucket = lifecycle.closeAtStop(bucketConfig.get().openOrCreate(dir ->
          log.info("created the bucket directory {}", dir)));
      // thanos.source "sidecar": this is the sidecar's shipping, and what the StoreAPI says of
      // this process too (TsdbStoreSource's component type).
      Shipper shipper = Shipper.builder(options.dataDir, bucket).externalLabels(labels).build();
      ShipperLoop loop = new ShipperLoop(shipper, () -> Long.MIN_VALUE, registry);
      lifecycle.closeAtStop(new LastShip(db, loop));
      lifecycle.closeAtStop(loop);
      // Cut what is due first: the database's own compaction runs once a minute.
      loop.start(options.shipping.syncInterval(), () -> cutDueBlocks(db));
      log.info("shipping blocks of {} to {} every {}", options.dataDir, bucket.name(),
          options.shipping.syncInterval());
    } else {
      log.info("no --objstore.config-file: serving the database, uploading nothing");
    }

    StoreApiServer grpc = lifecycle.closeAtStop(StoreApiServer.builder(
            options.addresses.grpcSocket(), new TsdbStoreSource(db, Labels.fromMap(labels)))
        .gracePeriod(options.addresses.grpcGracePeriod())
        .intercept(new GrpcMetrics(registry))
        .start());
    HttpServer http = lifecycle.closeAtStop(HttpServer.builder(options.addresses.http(), registry)
        .gracePeriod(options.addresses.httpGracePeriod())
        .build()
        .start());
    options.spec.commandLine().getOut().printf(
        "strata jvm-metrics: HTTP on http://%s, StoreAPI (gRPC) on %s, database in %s%n",
        new ListenAddress(options.addresses.http().host(), http.port()),
        new ListenAddress(options.addresses.grpc().host(), grpc.port()), options.dataDir);
    options.spec.commandLine().getOut().flush();
    lifecycle.awaitStop();
    return 0;
  }

  private void cutDueBlocks(Tsdb db) {
    try {
      db.compact();
    } catch (IOException | RuntimeException e) {
      log.warn("compacting {} failed, retrying at the next sync: {}", db.directory(), e.toString());
    }
  }

  /**
   * At the stop, after the loop: cuts the blocks due and ships them, so that none waits for the
   * next start. The head not yet due as a block stays in the WAL, as in Prometheus, and is shipped
   * as part of its block later.
   */
  private final class LastShip implements AutoCloseable {
    private final Tsdb db;
    private final ShipperLoop loop;

    LastShip(Tsdb db, ShipperLoop loop) {
      this.db = db;
      this.loop = loop;
    }

    @Override
    public void close() {
      cutDueBlocks(db);
      loop.syncOnce();
    }

    @Override
    public String toString() {
      return "the last ship";
    }
  }
}
