package dev.strata.examples.cli.sidecar;

import dev.strata.tier.prometheus.PrometheusClient;
import dev.strata.tsdb.labels.Labels;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's view of its Prometheus: the external labels from its configuration, read at start
 * and then every interval as a heartbeat. Prometheus counts as up while the heartbeat succeeds;
 * the sidecar is ready only then, as {@code thanos sidecar} is.
 */
final class PrometheusWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusWatch.class);

  /** How often the start retries a Prometheus that does not answer yet (Thanos: 2 s). */
  static final Duration START_RETRY = Duration.ofSeconds(2);

  private final PrometheusClient prometheus;
  private final String url;
  private final Gauge up;
  private final Gauge lastHeartbeat;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "strata-sidecar-heartbeat");
        t.setDaemon(true);
        return t;
      });
  private volatile Labels externalLabels = Labels.EMPTY;
  private volatile boolean isUp;

  PrometheusWatch(PrometheusClient prometheus, String url, PrometheusRegistry registry) {
    this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
    this.url = url;
    this.up = Gauge.builder().name("thanos_sidecar_prometheus_up")
        .help("1 while the last heartbeat to Prometheus succeeded, else 0.").register(registry);
    this.lastHeartbeat = Gauge.builder()
        .name("thanos_sidecar_last_heartbeat_success_time_seconds")
        .help("When the last heartbeat to Prometheus succeeded, in seconds since the epoch.")
        .register(registry);
  }

  /**
   * Reads the external labels, retrying while Prometheus does not answer, for at most {@code
   * timeout}.
   *
   * @throws IllegalStateException if Prometheus has none (its data would be indistinguishable in
   *     the bucket and in the querier) or does not answer in time
   */
  Labels awaitExternalLabels(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last;
    do {
      try {
        Labels labels = prometheus.externalLabels();
        if (labels.isEmpty()) {
          throw new IllegalStateException("Prometheus at " + url + " has no external labels:"
              + " set global.external_labels in its configuration (for example"
              + " {cluster=\"eu1\", replica=\"0\"}); they tell its data apart from every other"
              + " Prometheus's in the bucket and in the querier");
        }
        beat(labels);
        return labels;
      } catch (IOException e) {
        last = e;
        markDown(e);
        LOG.info("waiting for Prometheus at {}: {}", url, e.getMessage());
      }
      Thread.sleep(START_RETRY.toMillis());
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException("Prometheus at " + url + " did not answer within " + timeout
        + " (--prometheus.ready_timeout): " + last.getMessage());
  }

  /** Re-reads the external labels every {@code interval} from now on. */
  void start(Duration interval) {
    timer.scheduleWithFixedDelay(this::heartbeat, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void heartbeat() {
    try {
      Labels labels = prometheus.externalLabels();
      if (labels.isEmpty()) {
        // Serving without them would mix this Prometheus's series with others': keep the old ones.
        LOG.error("Prometheus at {} no longer has external labels; still serving with {}", url,
            externalLabels);
        markDown(null);
        return;
      }
      if (!labels.equals(externalLabels)) {
        LOG.info("Prometheus at {} changed its external labels from {} to {}", url,
            externalLabels, labels);
      }
      beat(labels);
    } catch (IOException | RuntimeException e) {
      markDown(e);
    }
  }

  private void beat(Labels labels) {
    if (!isUp) {
      LOG.info("Prometheus at {} is up, external labels {}", url, labels);
    }
    externalLabels = labels;
    isUp = true;
    up.set(1);
    lastHeartbeat.set(System.currentTimeMillis() / 1000.0);
  }

  private void markDown(Exception e) {
    if (isUp) {
      LOG.warn("Prometheus at {} is down: {}", url, e == null ? "no external labels" : e.getMessage());
    }
    isUp = false;
    up.set(0);
  }

  /** Whether the last heartbeat succeeded. */
  boolean up() {
    return isUp;
  }

  /** The external labels from the last successful heartbeat. */
  Labels externalLabels() {
    return externalLabels;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
