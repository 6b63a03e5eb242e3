package dev.strata.tier.storeapi;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;

/**
 * Series a {@link StoreServer} serves: a time range, the external labels, and queriers over the
 * data. The server applies the StoreAPI's rules (external labels, replica labels, chunk encoding);
 * a source only reads.
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
   * chunks. The caller closes it.
   */
  Querier querier(long mint, long maxt);
}
