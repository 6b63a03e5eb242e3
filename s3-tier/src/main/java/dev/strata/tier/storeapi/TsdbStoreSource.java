package dev.strata.tier.storeapi;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbStats;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import java.util.Objects;

/**
 * The embedded {@link Tsdb}, head and blocks, served like {@code thanos sidecar} serves Prometheus:
 * its data ends "now", so the advertised maximum is unbounded.
 */
public final class TsdbStoreSource implements StoreSource {
  private final Tsdb tsdb;
  private final Labels externalLabels;

  public TsdbStoreSource(Tsdb tsdb, Labels externalLabels) {
    this.tsdb = Objects.requireNonNull(tsdb, "tsdb");
    this.externalLabels = Objects.requireNonNull(externalLabels, "externalLabels");
  }

  @Override
  public ComponentType componentType() {
    return ComponentType.SIDECAR;
  }

  @Override
  public Labels externalLabels() {
    return externalLabels;
  }

  @Override
  public long minTime() {
    // Blocks are ordered by start, but out-of-order data can make an older one appear later.
    long min = Long.MAX_VALUE;
    for (BlockMeta block : tsdb.blocks()) {
      min = Math.min(min, block.minTime());
    }
    TsdbStats stats = tsdb.stats();
    if (stats.headSeries() > 0) {
      min = Math.min(min, stats.headMinTime());
    }
    return min;
  }

  @Override
  public long maxTime() {
    return Long.MAX_VALUE;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return tsdb.querier(mint, maxt);
  }
}
