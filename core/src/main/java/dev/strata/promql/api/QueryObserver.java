package dev.strata.promql.api;

import dev.strata.promql.QueryStats;

/** Hears of every query the API answered, for a server's metrics. */
@FunctionalInterface
public interface QueryObserver {
  /**
   * @param kind {@code "query"} or {@code "query_range"}
   * @param stats the engine's figures, or null when the query failed
   * @param nanos wall time from parsing to result
   */
  void observe(String kind, QueryStats stats, long nanos);

  QueryObserver NONE = (kind, stats, nanos) -> {};
}
