package dev.strata.promql;

/**
 * A function over the samples of one window: sets {@link RangeWindow#result}, or returns false for
 * no output.
 */
@FunctionalInterface
interface RangeFunction {
  boolean apply(RangeWindow w);
}
