package dev.strata.promql;

import java.util.List;

/**
 * A range-vector expression (range selector or subquery) ready to be windowed: each series'
 * samples, without stale markers, and for every step the end of the window, {@code windowEnd[i]}
 * (the evaluation time after {@code offset} and {@code @}). The window of step {@code i} is the
 * closed interval {@code [windowEnd[i] - rangeMs, windowEnd[i]]}, as in Prometheus 2.x.
 *
 * <p>{@code heldSamples} is what counts against the sample limit while the input is alive, as
 * Prometheus counts it: a subquery's whole result, but of a range selector only the window a
 * function is looking at (counted there), except at a single step, where the window is all.
 */
record RangeInput(List<RawSeries> series, long[] windowEnd, long rangeMs, long heldSamples)
    implements Evaluated {

  static long totalSamples(List<RawSeries> series) {
    long n = 0;
    for (RawSeries s : series) {
      n += s.n();
    }
    return n;
  }
}
