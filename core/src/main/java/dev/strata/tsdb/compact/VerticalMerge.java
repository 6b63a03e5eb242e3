package dev.strata.tsdb.compact;

/**
 * How the samples of a series are merged when its chunks overlap across the blocks being
 * compacted (vertical compaction), as Thanos's compactor offers it ({@code
 * --deduplication.func}).
 */
public enum VerticalMerge {
  /**
   * Every sample of every block, a timestamp present in several kept once (Prometheus's merge,
   * Thanos's default {@code ""}): right for blocks that overlap by accident, wrong for HA replicas,
   * whose scrapes at different moments would double the sample rate.
   */
  ONE_TO_ONE,
  /**
   * Each block is a replica, and Thanos's penalty algorithm picks one replica's samples at a time,
   * switching only across a gap (Thanos's {@code penalty}), as the querier deduplicates.
   */
  PENALTY
}
