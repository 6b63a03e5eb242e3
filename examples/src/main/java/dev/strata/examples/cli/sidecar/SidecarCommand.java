package dev.strata.examples.cli.sidecar;

import dev.strata.examples.cli.ObjstoreOptions;
import dev.strata.examples.cli.OptionTypes;
import dev.strata.examples.cli.TimeOrDuration;
import dev.strata.examples.server.GrpcMetrics;
import dev.strata.examples.server.HttpServer;
import dev.strata.examples.server.ListenAddress;
import dev.strata.examples.server.LoggingOptions;
import dev.strata.examples.server.ServerAddresses;
import dev.strata.examples.server.ServerLifecycle;
import dev.strata.promql.parser.Durations;
import dev.strata.tier.block.Shipper;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tier.prometheus.PrometheusClient;
import dev.strata.tier.prometheus.PrometheusStoreSource;
import dev.strata.tier.storeapi.StoreApiServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata sidecar}: beside one Prometheus, as {@code thanos sidecar}. Serves its data over
 * the StoreAPI (remote read, so the newest samples are visible) and, with a bucket, ships its
 * blocks there as they are cut. Never writes into Prometheus's blocks: uploads go from hard links.
 */
@Command(name = "sidecar",
    description = "Serve a Prometheus server's data over the StoreAPI and ship its blocks to a"
        + " bucket, as thanos sidecar does.")
public final class SidecarCommand implements Callable<Integer> {
  @Option(names = "--tsdb.path", paramLabel = "DIR", defaultValue = "./data",
      description = "Prometheus's data directory (default ${DEFAULT-VALUE}).")
  Path tsdbPath;

  @Option(names = "--prometheus.url", paramLabel = "URL", defaultValue = "http://localhost:9090",
      description = "Where Prometheus answers (default ${DEFAULT-VALUE}).")
  URI prometheusUrl;

  @Option(names = "--prometheus.ready_timeout", paramLabel = "DURATION", defaultValue = "10m",
      converter = OptionTypes.PositivePrometheusDuration.class,
      description = "How long to wait for Prometheus to answer at start (default ${DEFAULT-VALUE}).")
  Duration readyTimeout;

  @Option(names = "--prometheus.get_config_interval", paramLabel = "DURATION",
      defaultValue = "30s", converter = OptionTypes.PositivePrometheusDuration.class,
      description = "How often Prometheus's configuration is re-read, as a heartbeat"
          + " (default ${DEFAULT-VALUE}).")
  Duration configInterval;

  @Option(names = "--prometheus.get_config_timeout", paramLabel = "DURATION",
      defaultValue = "5s", converter = OptionTypes.PositivePrometheusDuration.class,
      description = "Timeout of each call to Prometheus's HTTP API (default ${DEFAULT-VALUE}).")
  Duration configTimeout;

  @Option(names = "--shipper.upload-compacted",
      description = "Also upload blocks Prometheus compacted (level > 1), e.g. once, to migrate"
          + " the history of a Prometheus that ran with compaction.")
  boolean uploadCompacted;

  @Option(names = "--min-time", paramLabel = "TIME", defaultValue = TimeOrDuration.EARLIEST,
      converter = TimeOrDuration.Converter.class,
      description = "Serve no data before this time: RFC 3339 or a duration before now such as"
          + " -2w (default ${DEFAULT-VALUE}).")
  TimeOrDuration minTime;

  @Mixin ShipperOptions shipping;

  @Mixin ServerAddresses addresses;
  @Mixin ObjstoreOptions objstore;
  @Mixin LoggingOptions logging;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // Made here, not when the class loads: --log.level must be set before the first logger.
    Logger log = LoggerFactory.getLogger(SidecarCommand.class);
    String url = prometheusUrl.toString();
    ServerLifecycle lifecycle = new ServerLifecycle("sidecar");
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    PrometheusClient prometheus = new PrometheusClient(prometheusUrl, configTimeout);
    PrometheusWatch watch = lifecycle.closeAtStop(new PrometheusWatch(prometheus, url, registry));
    var labels = watch.awaitExternalLabels(readyTimeout);
    // Checked once Prometheus is up: a sidecar started beside it (as the tasks of one group
    // start) may look before Prometheus has made its directories.
    if (!Files.isDirectory(tsdbPath.resolve("wal"))) {
      log.error("{} has no wal directory: is --tsdb.path Prometheus's --storage.tsdb.path?",
          tsdbPath);
    }
    watch.start(configInterval);

    Optional<BucketConfig> bucketConfig = objstore.config();
    LongSupplier floor = () -> minTime.resolve(System.currentTimeMillis()); // -2w moves on
    ShipperLoop shipper = null;
    if (bucketConfig.isPresent()) {
      checkBlockDurations(prometheus, url, log);
      Bucket bucket = lifecycle.closeAtStop(bucketConfig.get().openOrCreate(dir ->
          log.info("created the bucket directory {}", dir)));
      Shipper s = Shipper.builder(tsdbPath, bucket).externalLabels(labels.toMap())
          .source("sidecar").uploadCompacted(uploadCompacted).build();
      shipper = lifecycle.closeAtStop(new ShipperLoop(s, floor, registry));
      shipper.start(shipping.syncInterval());
      log.info("shipping blocks of {} to {} every {}", tsdbPath, bucket.name(), shipping.syncInterval());
    } else {
      log.info("no --objstore.config-file: serving Prometheus's data, uploading nothing");
    }
    ShipperLoop local = shipper;
    PrometheusStoreSource source = new PrometheusStoreSource(prometheus, watch::externalLabels,
        () -> local == null ? floor.getAsLong() : local.minTime());
    StoreApiServer grpc = lifecycle.closeAtStop(
        StoreApiServer.builder(addresses.grpcSocket(), source)
            .gracePeriod(addresses.grpcGracePeriod())
            .intercept(new GrpcMetrics(registry))
            .start());
    log.info("serving the StoreAPI on {}", new ListenAddress(addresses.grpc().host(), grpc.port()));
    HttpServer http = lifecycle.closeAtStop(HttpServer.builder(addresses.http(), registry)
        .gracePeriod(addresses.httpGracePeriod())
        .readiness(watch::up)
        .build()
        .start());
    spec.commandLine().getOut().printf(
        "strata sidecar: HTTP on http://%s, StoreAPI (gRPC) on %s, Prometheus at %s%n",
        new ListenAddress(addresses.http().host(), http.port()),
        new ListenAddress(addresses.grpc().host(), grpc.port()), url);
    spec.commandLine().getOut().flush();
    lifecycle.awaitStop();
    return 0;
  }

  /**
   * Uploading blocks that Prometheus later compacts would put the same samples in the bucket
   * twice, so Thanos refuses it; so does this. A Prometheus too old to list its flags is trusted.
   */
  private void checkBlockDurations(PrometheusClient prometheus, String url, Logger log)
      throws IOException, InterruptedException {
    Optional<Map<String, String>> flags = retrying(prometheus::flags, url);
    if (flags.isEmpty()) {
      log.warn("Prometheus at {} does not list its flags; cannot check that it does not compact", url);
      return;
    }
    String min = flags.get().getOrDefault("storage.tsdb.min-block-duration", "");
    String max = flags.get().getOrDefault("storage.tsdb.max-block-duration", "");
    if (min.isEmpty() || max.isEmpty()) {
      return;
    }
    if (Durations.parse(min) != Durations.parse(max)) {
      throw new IllegalStateException("Prometheus at " + url + " compacts its blocks"
          + " (--storage.tsdb.min-block-duration=" + min + ", --storage.tsdb.max-block-duration="
          + max + "), and uploading them would put the same samples in the bucket twice."
          + " Start Prometheus with --storage.tsdb.min-block-duration=2h"
          + " --storage.tsdb.max-block-duration=2h, or run the sidecar without"
          + " --objstore.config-file");
    }
    if (Durations.parse(min) != Duration.ofHours(2).toMillis()) {
      log.warn("Prometheus at {} cuts blocks of {}; 2h is the recommended size", url, min);
    }
  }

  private interface Call<T> {
    T get() throws IOException;
  }

  private <T> T retrying(Call<T> call, String url) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("Prometheus at " + url + " did not answer within " + readyTimeout
              + ": " + e.getMessage(), e);
        }
        Thread.sleep(PrometheusWatch.START_RETRY.toMillis());
      }
    }
  }
}
