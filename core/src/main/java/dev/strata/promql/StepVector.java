package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An instant-vector expression evaluated at every step of a {@link Steps}: its series in the order
 * they were first produced (Prometheus's evaluation order for an instant query).
 *
 * <p>Built through {@link #output(Labels)}, which finds or creates the series with those labels,
 * and {@link #put}, which refuses a second value for the same series at the same step with
 * Prometheus's "vector cannot contain metrics with the same labelset".
 */
final class StepVector implements Evaluated {
  final int steps;
  final List<StepSeries> series;
  private Map<Labels, Integer> byLabels;

  StepVector(int steps) {
    this.steps = steps;
    this.series = new ArrayList<>();
  }

  StepVector(int steps, List<StepSeries> series) {
    this.steps = steps;
    this.series = series;
  }

  /** The index of the series with these labels, created without points if absent. */
  int output(Labels labels) {
    if (byLabels == null) {
      byLabels = new HashMap<>(Math.max(16, series.size() * 2));
      for (int i = 0; i < series.size(); i++) {
        byLabels.put(series.get(i).labels, i);
      }
    }
    Integer i = byLabels.get(labels);
    if (i != null) {
      return i;
    }
    int idx = series.size();
    series.add(new StepSeries(labels, steps));
    byLabels.put(labels, idx);
    return idx;
  }

  /** Sets the value of series {@code idx} at {@code step}; two values for one step are an error. */
  void put(int idx, int step, double v) {
    StepSeries s = series.get(idx);
    if (s.present[step]) {
      throw QueryException.execution("vector cannot contain metrics with the same labelset");
    }
    s.set(step, v);
  }

  long points() {
    long n = 0;
    for (StepSeries s : series) {
      n += s.points;
    }
    return n;
  }

  /** Drops the series left without any point. */
  StepVector compact() {
    boolean any = false;
    for (StepSeries s : series) {
      if (s.points == 0) {
        any = true;
        break;
      }
    }
    if (!any) {
      return this;
    }
    List<StepSeries> kept = new ArrayList<>(series.size());
    for (StepSeries s : series) {
      if (s.points > 0) {
        kept.add(s);
      }
    }
    return new StepVector(steps, kept);
  }
}
