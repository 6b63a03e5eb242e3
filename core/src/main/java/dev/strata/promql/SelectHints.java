package dev.strata.promql;

/**
 * How the engine will use the samples of one selector, like Prometheus's {@code SelectHints}: the
 * evaluation range and step, and, for a range selector, the function applied to it (for example
 * {@code rate}) and its range. A store with downsampled data can answer {@code
 * max_over_time(x[1h])} from its max aggregate. {@code function} is null for an instant selector or
 * a range selector not directly inside a function, and {@link #SERIES} for a lookup of series
 * without their samples; {@code rangeMs} is 0 for an instant selector.
 */
public record SelectHints(
    long startMs, long endMs, long stepMs, String function, long rangeMs, long lookbackMs) {

  /**
   * The {@code function} of a lookup that reads the series' labels only ({@code /api/v1/series}),
   * Prometheus's token for it: no PromQL function has the name.
   */
  public static final String SERIES = "series";

  /** Whether the caller reads the series' labels only, not their samples. */
  public boolean labelsOnly() {
    return SERIES.equals(function);
  }
}
