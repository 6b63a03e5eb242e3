package dev.strata.examples.cli.compact;

import dev.strata.examples.cli.ObjstoreOptions;
import dev.strata.examples.cli.OptionTypes;
import dev.strata.examples.cli.RetentionOptions;
import dev.strata.examples.cli.bucket.BucketWebOption;
import dev.strata.examples.server.HttpAddress;
import dev.strata.examples.server.HttpServer;
import dev.strata.examples.server.ListenAddress;
import dev.strata.examples.server.LoggingOptions;
import dev.strata.examples.server.ServerAddresses;
import dev.strata.examples.server.ServerLifecycle;
import dev.strata.tier.compact.BucketCompactor;
import dev.strata.tier.compact.CompactionHaltedException;
import dev.strata.tier.compact.CompactorLock;
import dev.strata.tier.compact.CompactorOptions;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.compact.VerticalMerge;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata compact}: the compactor, as {@code thanos compact}. Compacts each group of a
 * bucket's blocks with Thanos's planner, downsamples, applies retention per resolution and deletes
 * what was marked long enough ago. Without {@code --wait}, one pass and exit; with it, a pass every
 * {@code --wait-interval} until stopped. Thanos requires a single compactor per bucket; Strata's
 * claims the bucket ({@link CompactorLock}) and a second one refuses to start.
 */
@Command(name = "compact",
    description = "Compact, downsample and apply retention to a bucket's blocks (as thanos compact).")
public final class CompactCommand implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
      description = "Scratch space: blocks are downloaded and built here (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = {"-w", "--wait"},
      description = "Keep running, a pass every --wait-interval; without it, one pass and exit.")
  boolean waitMode;

  @Option(names = "--wait-interval", paramLabel = "DURATION", defaultValue = "5m",
      converter = OptionTypes.PositivePrometheusDuration.class,
      description = "Time between passes with --wait (default ${DEFAULT-VALUE}).")
  Duration waitInterval;

  @Mixin RetentionOptions retention;

  @Option(names = "--downsampling.disable",
      description = "Do not downsample (raw blocks are then the only ones kept for long ranges).")
  boolean downsamplingDisabled;

  @Option(names = "--consistency-delay", paramLabel = "DURATION", defaultValue = "30m",
      converter = ServerAddresses.GracePeriod.class,
      description = "Leave blocks younger than this alone, unless a compactor made them: their"
          + " upload may be under way (default ${DEFAULT-VALUE}).")
  Duration consistencyDelay;

  @Option(names = "--delete-delay", paramLabel = "DURATION", defaultValue = "48h",
      converter = ServerAddresses.GracePeriod.class,
      description = "How long a block marked for deletion stays for readers that still use it"
          + " (default ${DEFAULT-VALUE}).")
  Duration deleteDelay;

  @Option(names = "--deduplication.replica-label", paramLabel = "NAME",
      description = "A label telling HA replicas apart: replicas are grouped and their blocks"
          + " merged (repeatable; turns vertical compaction on, as in Thanos).")
  List<String> replicaLabels = new ArrayList<>();

  @Option(names = "--deduplication.func", paramLabel = "FUNC", defaultValue = "",
      description = "How replicas' overlapping blocks are merged: \"\" keeps every sample once"
          + " (the default), penalty deduplicates them as the querier does.")
  String deduplicationFunc;

  @Option(names = "--compact.enable-vertical-compaction",
      description = "Merge overlapping blocks of a group instead of halting on them.")
  boolean verticalCompaction;

  @Option(names = "--compact.concurrency", paramLabel = "N", defaultValue = "1",
      converter = OptionTypes.Positive.class,
      description = "Groups compacted at once (default ${DEFAULT-VALUE}).")
  int compactConcurrency;

  @Option(names = "--compact.blocks-fetch-concurrency", paramLabel = "N", defaultValue = "1",
      converter = OptionTypes.Positive.class,
      description = "Source blocks of one compaction downloaded at once (default ${DEFAULT-VALUE}).")
  int blocksFetchConcurrency;

  @Option(names = "--block-files-concurrency", paramLabel = "N", defaultValue = "1",
      converter = OptionTypes.Positive.class,
      description = "Files of one block downloaded or uploaded at once (default ${DEFAULT-VALUE}).")
  int blockFilesConcurrency;

  @Option(names = "--downsample.concurrency", paramLabel = "N", defaultValue = "1",
      converter = OptionTypes.Positive.class,
      description = "Blocks downsampled at once (default ${DEFAULT-VALUE}).")
  int downsampleConcurrency;

  @Mixin HttpAddress http;
  @Mixin BucketWebOption web;
  @Mixin ObjstoreOptions objstore;
  @Mixin LoggingOptions logging;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** How long the bucket stays claimed after the compactor last renewed its claim. */
  private static final Duration LEASE = Duration.ofSeconds(90);

  @Override
  public Integer call() throws Exception {
    // Made here, not when the class loads: --log.level must be set before the first logger.
    Logger log = LoggerFactory.getLogger(CompactCommand.class);
    VerticalMerge merge;
    if (deduplicationFunc.isEmpty()) {
      merge = VerticalMerge.ONE_TO_ONE;
    } else if (deduplicationFunc.equals("penalty")) {
      merge = VerticalMerge.PENALTY;
    } else {
      throw new CommandLine.ParameterException(spec.commandLine(), "--deduplication.func must"
          + " be \"\" or penalty, not '" + deduplicationFunc + "'");
    }
    CompactorOptions options;
    try {
      options = retention.applyTo(CompactorOptions.builder(dataDir))
          .replicaLabels(Set.copyOf(replicaLabels))
          .verticalCompaction(verticalCompaction)
          .verticalMerge(merge)
          .downsampling(!downsamplingDisabled)
          .consistencyDelay(consistencyDelay)
          .deleteDelay(deleteDelay)
          .compactConcurrency(compactConcurrency)
          .blocksFetchConcurrency(blocksFetchConcurrency)
          .blockFilesConcurrency(blockFilesConcurrency)
          .downsampleConcurrency(downsampleConcurrency)
          .build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    var config = objstore.required(spec);
    Files.createDirectories(dataDir);
    ServerLifecycle lifecycle = new ServerLifecycle("compact");
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    CompactMetrics metrics = new CompactMetrics(registry);
    HttpServer.Builder routes = HttpServer.builder(http.address(), registry)
        .gracePeriod(http.gracePeriod());
    web.register(routes);
    HttpServer server = lifecycle.closeAtStop(routes.build().start());
    Bucket bucket = config.openExisting();
    lifecycle.closeAtStop(bucket::close);
    CompactorLock lock;
    try {
      lock = lifecycle.closeAtStop(claim(bucket));
    } catch (CompactorLock.HeldElsewhereException e) {
      log.error("refusing to start: {}", e.getMessage());
      spec.commandLine().getErr().println("strata compact: " + e.getMessage());
      lifecycle.stop();
      lifecycle.awaitStop();
      return 1;
    }
    ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "strata-compact-lease");
      t.setDaemon(true);
      return t;
    });
    lifecycle.closeAtStop(renewals::shutdownNow);
    renewals.scheduleWithFixedDelay(() -> {
      try {
        lock.renew();
      } catch (CompactorLock.HeldElsewhereException e) {
        log.error("stopping: {}", e.getMessage());
        lifecycle.stop();
      } catch (IOException | RuntimeException e) {
        log.warn("could not renew the compactor lease, retrying: {}", e.toString());
      }
    }, LEASE.toMillis() / 3, LEASE.toMillis() / 3, TimeUnit.MILLISECONDS);
    web.start(bucket, waitInterval, lifecycle);
    BucketCompactor compactor = new BucketCompactor(bucket, options);
    spec.commandLine().getOut().printf("strata compact: HTTP on http://%s, bucket %s%s%n",
        new ListenAddress(http.address().host(), server.port()), bucket.name(),
        waitMode ? ", a pass every " + waitInterval.toSeconds() + " s" : ", one pass");
    spec.commandLine().getOut().flush();

    if (!waitMode) {
      try {
        metrics.record(compactor.run());
        return 0;
      } catch (CompactionHaltedException e) {
        log.error("compaction halted: {}", e.getMessage());
        return 1;
      } finally {
        lifecycle.stop();
        lifecycle.awaitStop();
      }
    }
    CompactLoop loop = lifecycle.closeAtStop(new CompactLoop(compactor, metrics, waitInterval));
    loop.start();
    lifecycle.awaitStop();
    return 0;
  }

  // One compactor per bucket: this host and scratch directory name it, so that the same compactor
  // restarted after a crash takes its claim back at once.
  private CompactorLock claim(Bucket bucket) throws IOException, InterruptedException {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown-host";
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    return CompactorLock.acquire(bucket, host + ":" + dir,
        "strata compact on " + host + " (pid " + ProcessHandle.current().pid() + ", data dir "
            + dir + ")", LEASE, Duration.ofSeconds(1), Clock.systemUTC());
  }
}
