package dev.strata.tier.block;

import dev.strata.tsdb.block.ThanosMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Chooses which synced blocks a reader uses. Filters combine with {@link #and}. */
@FunctionalInterface
public interface BlockFilter {

  boolean keep(SyncedBlock block);

  default BlockFilter and(BlockFilter other) {
    return b -> keep(b) && other.keep(b);
  }

  /** Blocks overlapping {@code [mint, maxt]} (inclusive milliseconds; blocks end exclusively). */
  static BlockFilter timeRange(long mint, long maxt) {
    return b -> b.meta().minTime() <= maxt && b.meta().maxTime() > mint;
  }

  /** Blocks whose external labels include all of {@code labels}. */
  static BlockFilter externalLabels(Map<String, String> labels) {
    return b -> {
      Map<String, String> have = b.meta().thanos().map(ThanosMeta::labels).orElse(Map.of());
      return have.entrySet().containsAll(labels.entrySet());
    };
  }

  /** Blocks of one downsampling resolution (0 for raw data). */
  static BlockFilter resolution(long resolutionMillis) {
    return b -> b.meta().thanos().map(ThanosMeta::downsampleResolution).orElse(0L) == resolutionMillis;
  }

  /**
   * Drops blocks marked for deletion more than {@code delay} ago; younger marks are kept so that a
   * compactor's replacement has time to be seen before the old block disappears. A zero delay drops
   * every marked block.
   */
  static BlockFilter notDeleted(Duration delay) {
    return notDeleted(delay, Clock.systemUTC());
  }

  static BlockFilter notDeleted(Duration delay, Clock clock) {
    return b -> b.deletionMark().isEmpty()
        || (!delay.isZero() && Instant.ofEpochSecond(b.deletionMark().get().deletionTime())
            .plus(delay).isAfter(clock.instant()));
  }

  /** Drops blocks marked no-compact (for compactors). */
  static BlockFilter compactable() {
    return b -> !b.noCompact();
  }
}
