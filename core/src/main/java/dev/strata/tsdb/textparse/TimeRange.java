package dev.strata.tsdb.textparse;

/**
 * Timestamps of the samples of a whole input, from {@link OpenMetricsInput#timeRange()}: what
 * {@code promtool tsdb create-blocks-from openmetrics} computes in its first pass to lay out its
 * blocks.
 *
 * @param minTime smallest sample timestamp in milliseconds, or 0 if there are no samples
 * @param maxTime largest sample timestamp in milliseconds, or 0 if there are no samples or all
 *     timestamps are {@link Long#MIN_VALUE} (promtool's rule, reproduced so that block layouts
 *     agree)
 * @param samples number of sample lines
 * @param lines number of lines up to and including {@code # EOF}
 */
public record TimeRange(long minTime, long maxTime, long samples, long lines) {}
