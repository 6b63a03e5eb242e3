package dev.strata.tier.storeapi;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import java.util.List;

/**
 * Series a {@link StoreServer} serves: a time range, the external labels, and queriers over the
 * data. The server applies the StoreAPI's rules (external labels, replica labels, chunk encoding);
 * a source only reads.
 *
 * <p>A source with one set of external labels implements the five abstract methods. A source
 * holding data of several producers (a bucket, as {@code thanos store} serves it) also overrides
 * {@link #parts()}; one that can tell which pieces of its data answer a request, and let each
 * fail on its own, overrides {@link #queriers(StoreQuery)}. The server calls every method anew for
 * each request, so what they return may change between requests.
 *
 * <p>A querier that can hand over its chunks as bytes in place implements {@link
 * RawChunkQuerier}; when it is the only piece of the only part, the server writes the {@code
 * Series} frames straight from those bytes (a sidecar passing Prometheus's frames on).
 */
public interface StoreSource {

  /** What the server presents itself as. */
  ComponentType componentType();

  /** Labels added to every series, e.g. {@code {cluster="eu", replica="a"}}; may be empty. */
  Labels externalLabels();

  /**
   * Earliest timestamp the source may hold (inclusive); {@link Long#MAX_VALUE} when it holds
   * nothing, so that a querier skips it.
   */
  long minTime();

  /** Latest timestamp the source may hold (inclusive); {@link Long#MAX_VALUE} for a live one. */
  long maxTime();

  /**
   * A querier over {@code [mint, maxt]} (both inclusive) whose series' chunks are Prometheus
   * chunks, or Thanos aggregate chunks (encoding {@code 0xff}) of downsampled data, which the
   * server splits into the aggregates a request asks for. The caller closes it.
   */
  Querier querier(long mint, long maxt);

  /**
   * The parts of this source that each carry one set of external labels, as they are now. The
   * server serves each part's series with that part's labels and applies the matchers on external
   * labels part by part; the label calls read each part's {@link #querier}, {@code Series} its
   * {@link #queriers(StoreQuery)}. A source with one set of external labels is its own only part,
   * and a part's own parts are never asked for.
   */
  default List<StoreSource> parts() {
    return List.of(this);
  }

  /**
   * The queriers that answer {@code query}, each opened when read and failing on its own. By
   * default one querier over the whole range, named after the component.
   */
  default List<NamedQuerier> queriers(StoreQuery query) {
    return List.of(new NamedQuerier(componentType().thanosName(),
        () -> querier(query.minTime(), query.maxTime())));
  }
}
