package dev.strata.promql;

import java.util.List;

/**
 * A range-vector expression (range selector or subquery) ready to be windowed: each series'
 * samples, without stale markers, and for every step the end of the window, {@code windowEnd[i]}
 * (the evaluation time after {@code offset} and {@code @}). The window of step {@code i} is the
 * closed interval {@code [windowEnd[i] - rangeMs, windowEnd[i]]}, as in Prometheus 2.x.
 */
record RangeInput(List<RawSeries> series, long[] windowEnd, long rangeMs) implements Evaluated {}
