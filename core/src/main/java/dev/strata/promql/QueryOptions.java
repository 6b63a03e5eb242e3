package dev.strata.promql;

import java.time.Duration;

/**
 * Settings of one query that override the {@link Engine}'s, as Prometheus's {@code QueryOpts}: a
 * server can widen the lookback of a query over downsampled data (as Thanos's querier does per
 * {@code max_source_resolution}) without a second engine and its own concurrency limit.
 *
 * @param lookbackDelta how far back an instant selector looks for a sample; null for the engine's
 *     {@link EngineOptions#lookbackDelta()}
 */
public record QueryOptions(Duration lookbackDelta) {
  /** The engine's settings throughout. */
  public static final QueryOptions DEFAULTS = new QueryOptions(null);

  public QueryOptions {
    if (lookbackDelta != null && lookbackDelta.toMillis() <= 0) {
      throw new IllegalArgumentException("lookbackDelta must be at least 1ms: " + lookbackDelta);
    }
  }

  /** The lookback of a query: this one's, else the engine's. */
  long lookbackMs(EngineOptions engine) {
    return (lookbackDelta == null ? engine.lookbackDelta() : lookbackDelta).toMillis();
  }
}
