package dev.strata.tsdb.textparse;

import dev.strata.tsdb.labels.Labels;

/**
 * The exemplar at the end of a sample line ({@code # {trace_id="abc"} 0.5 1700000000.1}).
 *
 * <p>Prometheus's backfill ignores exemplars but its parser checks them, so Strata parses them to
 * accept and reject the same inputs. The labels drop empty values; a name given twice keeps its
 * last value (Prometheus's parser keeps both, which a {@link Labels} cannot).
 *
 * @param labels the exemplar's labels, possibly empty
 * @param value the exemplar's value
 * @param hasTimestamp whether a timestamp was given
 * @param timestamp milliseconds, converted as sample timestamps are; 0 if none
 */
public record Exemplar(Labels labels, double value, boolean hasTimestamp, long timestamp) {}
