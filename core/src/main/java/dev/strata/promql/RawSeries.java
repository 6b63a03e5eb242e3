package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;

/** A series' samples decoded once into primitive arrays, in time order; {@code n} are valid. */
record RawSeries(Labels labels, long[] t, double[] v, int n) {}
