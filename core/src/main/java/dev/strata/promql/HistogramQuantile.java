package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code histogram_quantile} over classic histograms: series that differ only in their {@code le}
 * label are the buckets of one histogram. Grouping is worked out once per input series; each step
 * then gathers the buckets present and interpolates.
 */
final class HistogramQuantile {
  private HistogramQuantile() {}

  private static final class Group {
    final int output;
    final List<Integer> members = new ArrayList<>();

    Group(int output) {
      this.output = output;
    }
  }

  static StepVector eval(double[] q, StepVector in) {
    int steps = in.steps;
    StepVector out = new StepVector(steps);
    Map<Labels, Group> groups = new HashMap<>();
    List<Group> ordered = new ArrayList<>();
    double[] bounds = new double[in.series.size()];
    for (int i = 0; i < in.series.size(); i++) {
      Labels l = in.series.get(i).labels;
      double bound = GoFloats.parseFloat(l.get("le"));
      if (Double.isNaN(bound) && !GoFloats.isNaNLiteral(l.get("le"))) {
        continue; // no parsable bucket bound: not a bucket
      }
      bounds[i] = bound;
      Labels key = l.toBuilder().remove("le").build();
      Group g = groups.get(key);
      if (g == null) {
        g = new Group(out.output(key.dropMetricName()));
        groups.put(key, g);
        ordered.add(g);
      }
      g.members.add(i);
    }
    // Bucket bounds do not change with the step: order each histogram's buckets once.
    for (Group g : ordered) {
      g.members.sort((a, b) -> Double.compare(bounds[a], bounds[b]));
    }
    double[] ub = new double[in.series.size()];
    double[] counts = new double[in.series.size()];
    for (int step = 0; step < steps; step++) {
      for (Group g : ordered) {
        int n = 0;
        for (int m : g.members) {
          StepSeries s = in.series.get(m);
          if (s.present[step]) {
            ub[n] = bounds[m];
            counts[n] = s.values[step];
            n++;
          }
        }
        if (n > 0) {
          out.put(g.output, step, Quantiles.bucketQuantile(q[step], ub, counts, n));
        }
      }
    }
    return out.compact();
  }
}
