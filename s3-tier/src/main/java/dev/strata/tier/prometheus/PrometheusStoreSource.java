package dev.strata.tier.prometheus;

import dev.strata.tier.storeapi.ComponentType;
import dev.strata.tier.storeapi.StoreSource;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A Prometheus served on the StoreAPI, as {@code thanos sidecar} serves the Prometheus next to it:
 * series by remote read, with Prometheus's own chunk bytes passed on unchanged, and label names
 * and values by its HTTP API.
 *
 * <pre>{@code
 * PrometheusClient prometheus =
 *     new PrometheusClient(URI.create("http://127.0.0.1:9090"), PrometheusClient.DEFAULT_TIMEOUT);
 * StoreApiServer server = StoreServer.start(new InetSocketAddress("0.0.0.0", 10901),
 *     new PrometheusStoreSource(prometheus, externalLabels::get, () -> UNBOUNDED_MIN_TIME));
 * }</pre>
 *
 * <p>Failures reach the StoreAPI caller as gRPC statuses: UNAVAILABLE while Prometheus is out of
 * reach or not ready, INVALID_ARGUMENT for a request Prometheus rejects, INTERNAL otherwise; the
 * message names the Prometheus and the call.
 */
public final class PrometheusStoreSource implements StoreSource {

  /**
   * The default of the sidecar's {@code --min-time}, {@code 0000-01-01T00:00:00Z}: no lower bound
   * beyond what Prometheus holds.
   */
  public static final long UNBOUNDED_MIN_TIME = -62_167_219_200_000L;

  private final PrometheusClient client;
  private final Supplier<Labels> externalLabels;
  private final LongSupplier minTime;

  /**
   * @param externalLabels Prometheus's external labels as last read from its configuration (the
   *     sidecar re-reads them every 30 s); queried at each call
   * @param minTime the earliest time served (the sidecar's: the start of the oldest local block,
   *     floored at {@code --min-time}); requests are clipped to it
   */
  public PrometheusStoreSource(
      PrometheusClient client, Supplier<Labels> externalLabels, LongSupplier minTime) {
    this.client = Objects.requireNonNull(client, "client");
    this.externalLabels = Objects.requireNonNull(externalLabels, "externalLabels");
    this.minTime = Objects.requireNonNull(minTime, "minTime");
  }

  /** The client of the Prometheus served. */
  public PrometheusClient client() {
    return client;
  }

  @Override
  public ComponentType componentType() {
    return ComponentType.SIDECAR;
  }

  @Override
  public Labels externalLabels() {
    return externalLabels.get();
  }

  @Override
  public long minTime() {
    return minTime.getAsLong();
  }

  /** Prometheus keeps scraping: its data has no end. */
  @Override
  public long maxTime() {
    return Long.MAX_VALUE;
  }

  /**
   * A querier over {@code [max(mint, minTime()), maxt]}. Its series carry the labels Prometheus
   * stores them with: the external labels Prometheus adds to a remote read answer are taken off
   * again, so that the series stay in the order Prometheus sends them and the StoreAPI server
   * applies the external labels by its own rules.
   */
  @Override
  public Querier querier(long mint, long maxt) {
    return new PrometheusQuerier(client, Math.max(mint, minTime()), maxt, externalLabels.get());
  }

  /**
   * The label sets of the series matching {@code matchers} in the range, without chunks, from
   * Prometheus's series API (as the sidecar answers a {@code skip_chunks} request); sorted,
   * without the external labels.
   *
   * @throws IllegalStateException if Prometheus is out of reach or not ready
   * @throws IllegalArgumentException without matchers, or if Prometheus rejects the request
   * @throws java.io.UncheckedIOException for any other failure
   */
  public List<Labels> series(long mint, long maxt, List<LabelMatcher> matchers) {
    try {
      return client.series(Math.max(mint, minTime()), maxt, matchers);
    } catch (PrometheusException e) {
      throw PrometheusQuerier.unchecked(e);
    }
  }
}
