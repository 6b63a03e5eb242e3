package dev.strata.examples.cli.store;

import dev.strata.tier.store.BucketBlock;
import dev.strata.tier.store.BucketStore;
import dev.strata.tsdb.block.Ulid;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-lists the bucket every interval, so that the store gateway serves blocks uploaded since and
 * stops serving deleted ones (a dropped block closes once the queries reading it have finished).
 * Each sync that changes something says what in one log line.
 */
final class BucketSyncLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BucketSyncLoop.class);

  private final BucketStore store;
  private final Counter syncs;
  private final Counter syncFailures;
  private final Counter loads;
  private final Counter drops;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "strata-store-sync");
        t.setDaemon(true);
        return t;
      });
  private Set<Ulid> loaded = Set.of(); // only the sync thread (or the first sync) touches it

  BucketSyncLoop(BucketStore store, PrometheusRegistry registry) {
    this.store = store;
    syncs = Counter.builder().name("thanos_blocks_meta_syncs_total")
        .help("Listings of the bucket's blocks.").register(registry);
    syncFailures = Counter.builder().name("thanos_blocks_meta_sync_failures_total")
        .help("Listings of the bucket's blocks that failed.").register(registry);
    loads = Counter.builder().name("thanos_bucket_store_block_loads_total")
        .help("Blocks the store started serving.").register(registry);
    drops = Counter.builder().name("thanos_bucket_store_block_drops_total")
        .help("Blocks the store stopped serving (deleted, or out of its time range).")
        .register(registry);
    GaugeWithCallback.builder().name("thanos_bucket_store_blocks_loaded")
        .help("Blocks the store serves.")
        .callback(cb -> cb.call(store.blocks().size())).register(registry);
  }

  /**
   * Lists the bucket once, now.
   *
   * @throws IOException if the bucket cannot be listed
   */
  synchronized void syncNow() throws IOException {
    syncs.inc();
    long start = System.nanoTime();
    List<BucketBlock> blocks;
    try {
      blocks = store.sync();
    } catch (IOException | RuntimeException e) {
      syncFailures.inc();
      throw e;
    }
    Set<Ulid> now = new HashSet<>();
    blocks.forEach(b -> now.add(b.ulid()));
    Set<Ulid> added = new HashSet<>(now);
    added.removeAll(loaded);
    Set<Ulid> dropped = new HashSet<>(loaded);
    dropped.removeAll(now);
    loads.inc(added.size());
    drops.inc(dropped.size());
    if (!added.isEmpty() || !dropped.isEmpty()) {
      LOG.info("synced {}: serving {} blocks ({} new, {} dropped{}) in {} ms",
          store.bucket().name(), now.size(), added.size(), dropped.size(),
          dropped.isEmpty() ? "" : ": " + dropped, (System.nanoTime() - start) / 1_000_000);
    }
    loaded = now;
  }

  /** Syncs every {@code interval} from one interval from now on; a failure is retried then. */
  void start(Duration interval) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        syncNow();
      } catch (IOException | RuntimeException e) {
        LOG.warn("listing {} failed, serving the blocks of the last sync until the next: {}",
            store.bucket().name(), e.getMessage());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(1, TimeUnit.MINUTES);
  }
}
