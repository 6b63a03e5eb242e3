/**
 * Thanos's deduplication of HA replicas for the querier: {@link
 * dev.strata.tsdb.dedup.DedupSeriesSet} turns a label-sorted series set whose replica labels were
 * removed into one series per label set, its samples taken from the replicas by Thanos's penalty
 * algorithm, with Thanos's counter adjustment for {@code rate}, {@code irate}, {@code increase}
 * and {@code resets}.
 */
package dev.strata.tsdb.dedup;
