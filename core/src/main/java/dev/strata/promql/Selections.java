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
    int[] candidates = new int[in.series.size()];
    for (int step = 0; step < steps; step++) {
      double kf = param[step];
      if (!(kf >= -9.223372036854776E18 && kf <= 9.223372036854776E18)) {
        throw QueryException.execution(
            "Scalar value " + GoFloats.formatPlain(kf) + " overflows int64");
      }
      long k = (long) kf;
      if (k < 1) {
        continue;
      }
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
        int take = (int) Math.min(k, m);
        selectBest(in, step, candidates, m, take, top);
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

  /**
   * Whether series {@code a} ranks before {@code b} at {@code step}: larger (top) or smaller, NaN
   * last.
   */
  private static boolean better(StepVector in, int step, int a, int b, boolean top) {
    double x = in.series.get(a).values[step];
    double y = in.series.get(b).values[step];
    if (Double.isNaN(y)) {
      return !Double.isNaN(x);
    }
    return top ? x > y : x < y;
  }

  /**
   * Moves the {@code take} best of {@code candidates[0..m)} to the front, best first, keeping input
   * order among equals: insertion into a sorted prefix, linear in m for a small k.
   */
  private static void selectBest(
      StepVector in, int step, int[] candidates, int m, int take, boolean top) {
    if (take > 16) {
      // Many to keep: sort them all (stable, so equals keep input order).
      Integer[] boxed = new Integer[m];
      for (int i = 0; i < m; i++) {
        boxed[i] = candidates[i];
      }
      Arrays.sort(
          boxed, (a, b) -> better(in, step, a, b, top) ? -1 : better(in, step, b, a, top) ? 1 : 0);
      for (int i = 0; i < m; i++) {
        candidates[i] = boxed[i];
      }
      return;
    }
    int kept = 0;
    for (int i = 0; i < m; i++) {
      int c = candidates[i];
      if (kept == take && !better(in, step, c, candidates[take - 1], top)) {
        continue;
      }
      int pos = kept == take ? take - 1 : kept++;
      while (pos > 0 && better(in, step, c, candidates[pos - 1], top)) {
        candidates[pos] = candidates[pos - 1];
        pos--;
      }
      candidates[pos] = c;
    }
  }
}
