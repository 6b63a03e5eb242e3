package dev.strata.promql;

import dev.strata.tsdb.storage.Querier;

/**
 * Where the engine reads series from: {@code Tsdb::querier} fits. The engine opens one querier per
 * selector, over exactly the time range that selector needs, and closes it before the query ends.
 */
@FunctionalInterface
public interface Queryable {

  /** A querier over {@code [mint, maxt]}, both inclusive, in milliseconds. */
  Querier querier(long mint, long maxt);

  /**
   * A querier for one selector, with what the engine knows about how its samples will be used.
   * Stores holding downsampled data may override this to pick a resolution; by default the hints
   * are ignored.
   */
  default Querier querier(long mint, long maxt, SelectHints hints) {
    return querier(mint, maxt);
  }
}
