package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;

/**
 * One element of an instant {@link Vector}: a series' labels with its value at {@code timestampMs}.
 */
public record Sample(Labels labels, long timestampMs, double value) {}
