package dev.strata.examples.cli.sidecar;

import dev.strata.tier.block.Shipper;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMetaFile;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Shipper} over a TSDB directory (Prometheus's, or an embedded Strata's in {@code
 * strata jvm-metrics}) every interval, with the metrics Thanos's shipper exports, and keeps the
 * earliest time the directory still holds, which the sidecar advertises (older data is in the
 * bucket, served by the store gateway).
 *
 * <p>A stop lets the upload in flight finish: the shipper puts meta.json last, so a block is
 * either whole in the bucket or invisible, and a block cut short by a crash is uploaded again,
 * whole, by the next run.
 */
public final class ShipperLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShipperLoop.class);

  /** How long a stop waits for the upload in flight. */
  static final Duration STOP_TIMEOUT = Duration.ofMinutes(5);

  private final Shipper shipper;
  private final LongSupplier floorMs;
  private final AtomicLong localMinTime;
  private final Counter syncs;
  private final Counter syncFailures;
  private final Counter uploads;
  private final Counter uploadFailures;
  private final Gauge lastUpload;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "strata-sidecar-shipper");
        t.setDaemon(true);
        return t;
      });

  /** {@code floorMs}: the sidecar's {@code --min-time} now, below which nothing is advertised. */
  public ShipperLoop(Shipper shipper, LongSupplier floorMs, PrometheusRegistry registry) {
    this.shipper = shipper;
    this.floorMs = floorMs;
    this.localMinTime = new AtomicLong(floorMs.getAsLong());
    syncs = Counter.builder().name("thanos_shipper_dir_syncs_total")
        .help("Syncs of the data directory with the bucket.").register(registry);
    syncFailures = Counter.builder().name("thanos_shipper_dir_sync_failures_total")
        .help("Syncs of the data directory that failed.").register(registry);
    uploads = Counter.builder().name("thanos_shipper_uploads_total")
        .help("Blocks uploaded.").register(registry);
    uploadFailures = Counter.builder().name("thanos_shipper_upload_failures_total")
        .help("Block uploads that failed (retried at the next sync).").register(registry);
    lastUpload = Gauge.builder().name("thanos_objstore_bucket_last_successful_upload_time")
        .help("When the last block upload succeeded, in seconds since the epoch (0: none yet).")
        .register(registry);
  }

  public void start(Duration interval) {
    start(interval, () -> { });
  }

  /**
   * Syncs every {@code interval}, each time after {@code beforeEachSync}: an embedded database
   * cuts its due blocks there, so that they go at this sync rather than after its own next
   * compaction.
   */
  public void start(Duration interval, Runnable beforeEachSync) {
    timer.scheduleWithFixedDelay(() -> {
      beforeEachSync.run();
      syncOnce();
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One pass: ship what is new, then note the earliest local time. */
  public void syncOnce() {
    syncs.inc();
    try {
      int shipped = shipper.sync();
      if (shipped > 0) {
        uploads.inc(shipped);
        lastUpload.set(System.currentTimeMillis() / 1000.0);
      }
    } catch (IOException | RuntimeException e) {
      syncFailures.inc();
      uploadFailures.inc();
      LOG.warn("shipping blocks of {} failed, retrying at the next sync: {}", shipper.dataDir(),
          e.getMessage());
    }
    try {
      localMinTime.set(Math.max(floorMs.getAsLong(), earliestLocalBlock()));
    } catch (IOException e) {
      LOG.warn("listing the blocks of {} failed: {}", shipper.dataDir(), e.getMessage());
    }
  }

  // The earliest start of a block in the directory; 0 when there is none yet, as Thanos's shipper.
  private long earliestLocalBlock() throws IOException {
    long min = Long.MAX_VALUE;
    for (BlockDirectories.BlockDirectory d : BlockDirectories.list(shipper.dataDir())) {
      try {
        min = Math.min(min, BlockMetaFile.read(d.path()).minTime());
      } catch (NoSuchFileException gone) {
        // compacted or deleted by Prometheus meanwhile
      }
    }
    return min == Long.MAX_VALUE ? 0 : min;
  }

  /** The earliest time the sidecar advertises: the local blocks' start, at least the floor. */
  public long minTime() {
    return localMinTime.get();
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdown();
    if (!timer.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warn("an upload was still running after {}; stopping it (its block stays invisible"
          + " in the bucket and is uploaded again at the next start)", STOP_TIMEOUT);
      timer.shutdownNow();
    }
  }
}
