package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code topk} and {@code bottomk}: per group and step, the k best series (largest for topk,
 * smallest for bottomk, NaN worst for both), kept with all their labels. At a single step the
 * output order is Prometheus's: groups by first appearance, best first within a group.
 */
final class Selections {
  private Selections() {}

  static StepVector topOrBottom(
      StepVector in, Set<String> names, boolean without, double[] param, boolean top) {
    int steps = in.steps;
    List<Labels> groupLabels = new ArrayList<>();
    int[] group = Aggregations.assignGroups(in, names, without, groupLabels);
    int g = groupLabels.size();
    // Members of each group, in input order.
    int[][] members = new int[g][];
    int[] sizes = new int[g];
    for (int k : group) {
      sizes[k]++;
    }
    for (int k = 0; k < g; k++) {
      members[k] = new int[sizes[k]];
    }
    Arrays.fill(sizes, 0);
    for (int i = 0; i < group.length; i++) {
      members[group[i]][sizes[group[i]]++] = i;
    }
    StepVector out = new StepVector(steps);
    int[] outIndex = new int[in.series.size()];
    Arrays.fill(outIndex, -1);
    Integer[] candidates = new Integer[in.series.size()];
    for (int step = 0; step < steps; step++) {
      double kf = param[step];
      if (!(kf >= -9.223372036854776E18 && kf <= 9.223372036854776E18)) {
        throw QueryException.execution("Scalar value " + GoFloats.formatPlain(kf) + " overflows int64");
      }
      long k = (long) kf;
      if (k < 1) {
        continue;
      }
      final int s = step;
      for (int gi = 0; gi < g; gi++) {
        int m = 0;
        for (int idx : members[gi]) {
          if (in.series.get(idx).present[step]) {
            candidates[m++] = idx;
          }
        }
        if (m == 0) {
          continue;
        }
        Arrays.sort(candidates, 0, m, (a, b) -> {
          double x = in.series.get(a).values[s];
          double y = in.series.get(b).values[s];
          boolean xn = Double.isNaN(x);
          boolean yn = Double.isNaN(y);
          if (xn || yn) {
            return Boolean.compare(xn, yn);
          }
          return top ? Double.compare(y, x) : Double.compare(x, y);
        });
        long take = Math.min(k, m);
        for (int j = 0; j < take; j++) {
          int idx = candidates[j];
          if (outIndex[idx] < 0) {
            outIndex[idx] = out.output(in.series.get(idx).labels);
          }
          out.put(outIndex[idx], step, in.series.get(idx).values[step]);
        }
      }
    }
    return out.compact();
  }
}
