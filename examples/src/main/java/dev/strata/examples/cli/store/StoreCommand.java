package dev.strata.examples.cli.store;

import dev.strata.examples.cli.ByteSize;
import dev.strata.examples.cli.ObjstoreOptions;
import dev.strata.examples.cli.OptionTypes;
import dev.strata.examples.cli.TimeOrDuration;
import dev.strata.examples.cli.bucket.BucketWebOption;
import dev.strata.examples.server.GrpcMetrics;
import dev.strata.examples.server.HttpServer;
import dev.strata.examples.server.ListenAddress;
import dev.strata.examples.server.LoggingOptions;
import dev.strata.examples.server.ServerAddresses;
import dev.strata.examples.server.ServerLifecycle;
import dev.strata.tier.block.BlockFilter;
import dev.strata.tier.objstore.CountingBucket;
import dev.strata.tier.storeapi.BucketStoreSource;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.store.BucketCaches;
import dev.strata.tier.store.BucketStore;
import dev.strata.tier.store.BucketStoreOptions;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata store}: the store gateway, as {@code thanos store}. Serves the blocks of a bucket,
 * raw and downsampled, over the StoreAPI, reading them lazily: index headers on local disk, ranges
 * of the index and chunks fetched when a query needs them, through caches of fixed sizes. Memory
 * therefore depends on the cache sizes and the queries in flight, not on the size of the bucket.
 */
@Command(name = "store",
    description = "Serve the blocks of a bucket over the StoreAPI (a store gateway, as thanos store).")
public final class StoreCommand implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
      description = "Local directory for index headers and copies of meta.json files"
          + " (default ${DEFAULT-VALUE}); a cache, rebuilt from the bucket when removed.")
  Path dataDir;

  @Option(names = "--sync-block-duration", paramLabel = "DURATION", defaultValue = "15m",
      converter = OptionTypes.PositivePrometheusDuration.class,
      description = "How often the bucket is listed again for new and deleted blocks"
          + " (default ${DEFAULT-VALUE}).")
  Duration syncInterval;

  @Option(names = "--index-cache-size", paramLabel = "SIZE", defaultValue = "250MB",
      converter = ByteSize.class,
      description = "Memory for cached index ranges (postings and series), half each"
          + " (default ${DEFAULT-VALUE}).")
  long indexCacheBytes;

  @Option(names = "--chunk-cache-size", paramLabel = "SIZE", defaultValue = "256MB",
      converter = ByteSize.class,
      description = "Memory for cached chunk files, in 16 KiB pages (default ${DEFAULT-VALUE});"
          + " 0 disables it.")
  long chunkCacheBytes;

  @Option(names = "--min-time", paramLabel = "TIME", defaultValue = TimeOrDuration.EARLIEST,
      converter = TimeOrDuration.Converter.class,
      description = "Serve only blocks that end after this time: RFC 3339 or a duration before"
          + " now such as -2w (default ${DEFAULT-VALUE}).")
  TimeOrDuration minTime;

  @Option(names = "--max-time", paramLabel = "TIME", defaultValue = TimeOrDuration.LATEST,
      converter = TimeOrDuration.Converter.class,
      description = "Serve only blocks that start before this time: RFC 3339 or a duration"
          + " before now such as -2d (default ${DEFAULT-VALUE}).")
  TimeOrDuration maxTime;

  @Option(names = "--ignore-deletion-marks-delay", paramLabel = "DURATION", defaultValue = "24h",
      converter = ServerAddresses.GracePeriod.class,
      description = "Keep serving a block marked for deletion until its mark is this old, so"
          + " that queries move to the compactor's replacement first (default ${DEFAULT-VALUE}).")
  Duration deletionDelay;

  @Mixin ServerAddresses addresses;
  @Mixin BucketWebOption web;
  @Mixin ObjstoreOptions objstore;
  @Mixin LoggingOptions logging;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // Made here, not when the class loads: --log.level must be set before the first logger.
    Logger log = LoggerFactory.getLogger(StoreCommand.class);
    var config = objstore.required(spec);
    ServerLifecycle lifecycle = new ServerLifecycle("store");
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    AtomicBoolean ready = new AtomicBoolean();
    HttpServer.Builder routes = HttpServer.builder(addresses.http(), registry)
        .gracePeriod(addresses.httpGracePeriod())
        .readiness(ready::get);
    web.register(routes);
    HttpServer http = lifecycle.closeAtStop(routes.build().start());

    Files.createDirectories(dataDir);
    CountingBucket bucket = new CountingBucket(config.openExisting());
    lifecycle.closeAtStop(bucket::close);
    BucketCaches caches = BucketCaches.of(indexCacheBytes / 2, indexCacheBytes / 2, chunkCacheBytes);
    BucketMetrics.register(registry, bucket, caches);
    BucketStore store = lifecycle.closeAtStop(BucketStore.open(bucket,
        BucketStoreOptions.builder(dataDir).caches(caches).ignoreDeletionMarksDelay(deletionDelay).build(),
        timeRange()));
    BucketSyncLoop sync = new BucketSyncLoop(store, registry);
    long start = System.nanoTime();
    sync.syncNow();
    log.info("first sync of {}: {} blocks in {} ms", bucket.name(), store.blocks().size(),
        (System.nanoTime() - start) / 1_000_000);
    lifecycle.closeAtStop(sync);
    sync.start(syncInterval);
    web.start(bucket, syncInterval, lifecycle);

    StoreApiServer grpc = lifecycle.closeAtStop(
        StoreApiServer.builder(addresses.grpcSocket(), new BucketStoreSource(store))
            .gracePeriod(addresses.grpcGracePeriod())
            .intercept(new GrpcMetrics(registry))
            .start());
    ready.set(true);
    spec.commandLine().getOut().printf("strata store: HTTP on http://%s, StoreAPI (gRPC) on %s,"
            + " bucket %s%n", new ListenAddress(addresses.http().host(), http.port()),
        new ListenAddress(addresses.grpc().host(), grpc.port()), bucket.name());
    spec.commandLine().getOut().flush();
    lifecycle.awaitStop();
    return 0;
  }

  // Evaluated at each sync, so that a relative window (-2w) moves with the clock.
  private BlockFilter timeRange() {
    return b -> {
      long now = System.currentTimeMillis();
      return BlockFilter.timeRange(minTime.resolve(now), maxTime.resolve(now)).keep(b);
    };
  }
}
