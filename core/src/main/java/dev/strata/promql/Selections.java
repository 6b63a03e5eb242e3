package dev.strata.promql;

import dev.strata.tsdb.encoding.GoFloatFormat;
import dev.strata.tsdb.gocompat.GoHeap;
import dev.strata.tsdb.gocompat.GoSort;
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
    GroupHeap heap = new GroupHeap(in, top);
    for (int step = 0; step < steps; step++) {
      double kf = param[step];
      if (!(kf >= -9.223372036854776E18 && kf <= 9.223372036854776E18)) {
        throw QueryException.execution(
            "Scalar value " + GoFloatFormat.plain(kf) + " overflows int64");
      }
      long k = (long) kf;
      if (k < 1) {
        continue;
      }
      for (int gi = 0; gi < g; gi++) {
        heap.select(members[gi], step, k);
        for (int j = 0; j < heap.size; j++) {
          int idx = heap.items[j];
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
   * One group's {@code topk}/{@code bottomk} at one step, done as Prometheus 2.42 does it so that
   * ties resolve the same way: a Go heap of at most k series, its least wanted on top, fed in input
   * order (the top replaced when k is 1, popped then pushed otherwise), then sorted by Go's
   * unstable sort, best first. NaN counts as least wanted.
   */
  private static final class GroupHeap implements GoSort.Data {
    private final StepVector in;
    private final boolean top;
    private int[] items = new int[16]; // series indexes; [0, size) is the heap
    private int size;
    private int step;
    private boolean reversed; // while sorting: less(i, j) is the heap's less(j, i)

    GroupHeap(StepVector in, boolean top) {
      this.in = in;
      this.top = top;
    }

    void select(int[] members, int step, long k) {
      this.step = step;
      size = 0;
      for (int idx : members) {
        if (!in.series.get(idx).present[step]) {
          continue;
        }
        if (size == 0) {
          items[size++] = idx;
          continue;
        }
        double head = value(items[0]);
        double v = value(idx);
        if (size < k || (top ? head < v : head > v) || Double.isNaN(head)) {
          if (size == k) {
            if (k == 1) {
              items[0] = idx;
              continue;
            }
            GoHeap.popToEnd(this, size);
            size--;
          }
          if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
          }
          items[size++] = idx;
          GoHeap.up(this, size - 1);
        }
      }
      if (size > 1) {
        reversed = true;
        GoSort.sort(this, size);
        reversed = false;
      }
    }

    private double value(int idx) {
      return in.series.get(idx).values[step];
    }

    @Override
    public boolean less(int i, int j) {
      return reversed ? heapLess(j, i) : heapLess(i, j);
    }

    // Prometheus's vectorByValueHeap (top) and vectorByReverseValueHeap (bottom).
    private boolean heapLess(int i, int j) {
      double a = value(items[i]);
      if (Double.isNaN(a)) {
        return true;
      }
      double b = value(items[j]);
      return top ? a < b : a > b;
    }

    @Override
    public void swap(int i, int j) {
      int t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
  }
}
