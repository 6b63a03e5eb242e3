package dev.strata.examples.embedded;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service that keeps its own metrics: how an application embeds Strata. Once a second it records
 * its JVM's heap, threads and garbage collections into a {@link Tsdb} in its data directory; on
 * request it queries them back. Everything a real service needs is here: one appender on the
 * recording thread, series references reused between scrapes, queriers closed after use, and the
 * database closed on shutdown.
 *
 * <p>Run it with {@code strata jvm-metrics}, or from your own code:
 *
 * <pre>{@code
 * try (JvmMetricsService metrics = JvmMetricsService.start(Path.of("metrics"), Duration.ofSeconds(1))) {
 *   ... your service runs ...
 *   metrics.report(new PrintWriter(System.out, true), Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <p>The same database joins a Thanos-style global view as {@code thanos sidecar} makes a
 * Prometheus join it, without a Prometheus: its data served over the StoreAPI to a querier, its
 * blocks shipped to a bucket for the store gateway and the compactor. The external labels tell
 * this service's data apart from every other producer's; the blocks it cuts must not be merged
 * locally (merged blocks would put the same samples in the bucket again), hence a max block range
 * equal to the block range:
 *
 * <pre>{@code
 * TsdbOptions options = TsdbOptions.builder().maxBlockRange(Duration.ofHours(2)).build();
 * JvmMetricsService metrics = JvmMetricsService.start(dir, Duration.ofSeconds(1), options);
 * Labels external = Labels.of("service", "checkout", "replica", "a");
 * StoreApiServer storeApi = StoreApiServer.builder(new InetSocketAddress(10901),
 *     new TsdbStoreSource(metrics.database(), external)).start();
 * Shipper shipper = Shipper.builder(dir, bucket).externalLabels(external.toMap()).build();
 * shipper.start(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>{@code strata jvm-metrics --grpc-address=... --objstore.config-file=... --label=...} runs
 * exactly that, with metrics, probes and a clean stop.
 */
public final class JvmMetricsService implements AutoCloseable {
  private final Tsdb db;
  private final ScheduledExecutorService scheduler;
  private final Appender appender;
  private final List<Labels> series = new ArrayList<>();
  private final long[] refs;
  private final AtomicLong samplesRecorded = new AtomicLong();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

  private JvmMetricsService(Tsdb db, Duration interval) {
    this.db = db;
    this.appender = db.appender();
    String job = "jvm-metrics-example";
    series.add(Labels.of("__name__", "jvm_memory_used_bytes", "area", "heap", "job", job));
    series.add(Labels.of("__name__", "jvm_memory_used_bytes", "area", "nonheap", "job", job));
    series.add(Labels.of("__name__", "jvm_threads_live", "job", job));
    for (GarbageCollectorMXBean gc : collectors) {
      series.add(Labels.of("__name__", "jvm_gc_collections_total", "gc", gc.getName(), "job", job));
      series.add(Labels.of("__name__", "jvm_gc_collection_seconds_total", "gc", gc.getName(), "job", job));
    }
    refs = new long[series.size()];
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "jvm-metrics");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleAtFixedRate(this::record, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Opens (or reopens) the metrics database in {@code dir} and starts recording. */
  public static JvmMetricsService start(Path dir, Duration interval) throws Exception {
    return start(dir, interval, TsdbOptions.defaults());
  }

  /** As {@link #start(Path, Duration)}, with the database's {@code options}. */
  public static JvmMetricsService start(Path dir, Duration interval, TsdbOptions options)
      throws Exception {
    return new JvmMetricsService(Tsdb.open(dir, options), interval);
  }

  /** The database the metrics go to: to serve it, or to query it in other ways. */
  public Tsdb database() {
    return db;
  }

  // One scrape: read the JVM's figures and commit them together.
  private void record() {
    long now = System.currentTimeMillis();
    double[] values = new double[series.size()];
    values[0] = memory.getHeapMemoryUsage().getUsed();
    values[1] = memory.getNonHeapMemoryUsage().getUsed();
    values[2] = threads.getThreadCount();
    int i = 3;
    for (GarbageCollectorMXBean gc : collectors) {
      values[i++] = gc.getCollectionCount();
      values[i++] = gc.getCollectionTime() / 1000.0;
    }
    for (int s = 0; s < refs.length; s++) {
      refs[s] = refs[s] == 0 ? appender.append(series.get(s), now, values[s]) : appender.append(refs[s], now, values[s]);
    }
    appender.commit();
    samplesRecorded.addAndGet(refs.length);
  }

  /** Samples committed since the service started. */
  public long samplesRecorded() {
    return samplesRecorded.get();
  }

  /** Prints, per series, the latest value and the range over the last {@code window}. */
  public void report(PrintWriter out, Duration window) {
    long now = System.currentTimeMillis();
    try (Querier q = db.querier(now - window.toMillis(), now)) {
      SeriesSet set = q.select(LabelMatcher.equal("job", "jvm-metrics-example"));
      while (set.next()) {
        SampleIterator it = set.at().samples();
        int n = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double last = Double.NaN;
        while (it.next()) {
          n++;
          min = Math.min(min, it.v());
          max = Math.max(max, it.v());
          last = it.v();
        }
        out.printf("%-90s samples %4d  latest %14.2f  min %14.2f  max %14.2f%n",
            set.at().labels(), n, last, min, max);
      }
    }
  }

  /** Stops recording and closes the database. */
  @Override
  public void close() throws Exception {
    scheduler.shutdown();
    scheduler.awaitTermination(10, TimeUnit.SECONDS);
    db.close();
  }
}
