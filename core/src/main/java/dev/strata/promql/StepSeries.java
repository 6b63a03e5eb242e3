package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;

/**
 * One series of an instant-vector expression evaluated at every step: its value at the steps where
 * it has one. Values and presence are primitive arrays indexed by step, so stepping through a range
 * query allocates nothing per point.
 */
final class StepSeries {
  final Labels labels;
  final double[] values;
  final boolean[] present;
  int points;

  StepSeries(Labels labels, int steps) {
    this.labels = labels;
    this.values = new double[steps];
    this.present = new boolean[steps];
  }

  void set(int step, double v) {
    if (!present[step]) {
      present[step] = true;
      points++;
    }
    values[step] = v;
  }
}
