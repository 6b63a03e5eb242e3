package dev.strata.promql;

/**
 * How the engine will use the samples of one selector, like Prometheus's {@code SelectHints}: the
 * evaluation range and step, and, for a range selector, the function applied to it (for example
 * {@code rate}) and its range. A store with downsampled data can answer {@code
 * max_over_time(x[1h])} from its max aggregate. {@code function} is null for an instant selector or
 * a range selector not directly inside a function; {@code rangeMs} is 0 for an instant selector.
 */
public record SelectHints(
    long startMs, long endMs, long stepMs, String function, long rangeMs, long lookbackMs) {}
