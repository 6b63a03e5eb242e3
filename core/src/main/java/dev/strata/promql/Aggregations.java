package dev.strata.promql;

import dev.strata.promql.parser.AggregateExpr;
import dev.strata.promql.parser.AggregateOp;
import dev.strata.promql.parser.Expr;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The aggregation operators. Each input series' group is worked out once from its labels; the steps
 * then accumulate into per-group primitive state, with Prometheus 2.42's arithmetic (plain sums,
 * incremental mean with its infinity rules, Welford variance, NaN-replacing min and max).
 */
final class Aggregations {
  private Aggregations() {}

  static Evaluated eval(Evaluator ev, AggregateExpr a, Steps steps) {
    AggregateOp op = a.op();
    double[] param = null;
    String label = null;
    if (op == AggregateOp.COUNT_VALUES) {
      Expr p = FunctionCalls.unwrapParens(a.param());
      label = ((StringConstant) ev.eval(p, steps)).value();
    } else if (a.param() != null) {
      param = ev.evalScalar(a.param(), steps).values();
    }
    StepVector in = ev.evalVector(a.expr(), steps);
    List<String> grouping = a.grouping();
    Set<String> names = new HashSet<>(grouping);
    return switch (op) {
      case TOPK, BOTTOMK ->
          Selections.topOrBottom(in, names, a.without(), param, op == AggregateOp.TOPK);
      case COUNT_VALUES -> countValues(in, names, a.without(), label);
      default -> aggregate(in, op, names, a.without(), param);
    };
  }

  /**
   * The labels identifying a series' group: {@code by} keeps the names, {@code without} drops them
   * and the metric name.
   */
  static Labels groupLabels(Labels l, Set<String> names, boolean without) {
    return without
        ? LabelSets.filter(l, name -> !names.contains(name) && !name.equals(Labels.METRIC_NAME))
        : LabelSets.filter(l, names::contains);
  }

  /** Group index of every input series, groups numbered in order of first appearance. */
  static int[] assignGroups(
      StepVector in, Set<String> names, boolean without, List<Labels> groupOut) {
    int[] group = new int[in.series.size()];
    Map<Labels, Integer> index = new HashMap<>();
    for (int i = 0; i < group.length; i++) {
      Labels key = groupLabels(in.series.get(i).labels, names, without);
      Integer g = index.get(key);
      if (g == null) {
        g = groupOut.size();
        index.put(key, g);
        groupOut.add(key);
      }
      group[i] = g;
    }
    return group;
  }

  private static StepVector aggregate(
      StepVector in, AggregateOp op, Set<String> names, boolean without, double[] param) {
    int steps = in.steps;
    List<Labels> groupLabels = new ArrayList<>();
    int[] group = assignGroups(in, names, without, groupLabels);
    int g = groupLabels.size();
    List<StepSeries> outSeries = new ArrayList<>(g);
    for (Labels l : groupLabels) {
      outSeries.add(new StepSeries(l, steps));
    }
    double[] value = new double[g];
    double[] mean = new double[g];
    long[] count = new long[g];
    double[][] quantileValues = op == AggregateOp.QUANTILE ? new double[g][] : null;
    for (int step = 0; step < steps; step++) {
      Arrays.fill(count, 0);
      for (int si = 0; si < group.length; si++) {
        StepSeries s = in.series.get(si);
        if (!s.present[step]) {
          continue;
        }
        int k = group[si];
        double v = s.values[step];
        long c = ++count[k];
        if (c == 1) {
          value[k] = v;
          mean[k] = v;
          switch (op) {
            case STDDEV, STDVAR -> {
              value[k] = 0;
              mean[k] = v;
            }
            case GROUP -> value[k] = 1;
            case QUANTILE -> {
              if (quantileValues[k] == null) {
                quantileValues[k] = new double[8];
              }
              quantileValues[k][0] = v;
            }
            default -> {}
          }
          continue;
        }
        switch (op) {
          case SUM -> value[k] += v;
          case AVG -> {
            double m = mean[k];
            if (Double.isInfinite(m)) {
              if (Double.isInfinite(v) && (m > 0) == (v > 0)) {
                break;
              }
              if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                break;
              }
            }
            mean[k] = m + (v / c - m / c);
          }
          case MAX -> {
            if (value[k] < v || Double.isNaN(value[k])) {
              value[k] = v;
            }
          }
          case MIN -> {
            if (value[k] > v || Double.isNaN(value[k])) {
              value[k] = v;
            }
          }
          case STDDEV, STDVAR -> {
            double delta = v - mean[k];
            mean[k] += delta / c;
            value[k] += delta * (v - mean[k]);
          }
          case QUANTILE -> {
            if (c > quantileValues[k].length) {
              quantileValues[k] = Arrays.copyOf(quantileValues[k], (int) c * 2);
            }
            quantileValues[k][(int) c - 1] = v;
          }
          default -> {}
        }
      }
      for (int k = 0; k < g; k++) {
        long c = count[k];
        if (c == 0) {
          continue;
        }
        double result =
            switch (op) {
              case AVG -> mean[k];
              case COUNT -> c;
              case STDVAR -> value[k] / c;
              case STDDEV -> Math.sqrt(value[k] / c);
              case QUANTILE -> Quantiles.quantile(param[step], quantileValues[k], (int) c);
              default -> value[k];
            };
        outSeries.get(k).set(step, result);
      }
    }
    StepVector out = new StepVector(steps, outSeries);
    return out.compact();
  }

  /**
   * {@code count_values}: the value, formatted as Go formats floats, becomes a label, so the groups
   * depend on the values. The rest of each series' group labels is worked out once; each step then
   * only looks up (group, formatted value).
   */
  private static StepVector countValues(
      StepVector in, Set<String> names, boolean without, String label) {
    if (!LabelFunctions.isValidLabelName(label)) {
      throw QueryException.execution("invalid label name \"" + label + "\"");
    }
    // The value label replaces any label of that name; "without (label)" drops it again.
    boolean keepValue = !(without && names.contains(label));
    Set<String> others = new HashSet<>(names);
    if (!without) {
      others.remove(label);
    }
    List<Labels> bases = new ArrayList<>();
    int[] base = new int[in.series.size()];
    Map<Labels, Integer> baseIndex = new HashMap<>();
    for (int i = 0; i < base.length; i++) {
      Labels l = in.series.get(i).labels;
      Labels key =
          groupLabels(l.has(label) ? l.toBuilder().remove(label).build() : l, others, without);
      Integer b = baseIndex.get(key);
      if (b == null) {
        b = bases.size();
        baseIndex.put(key, b);
        bases.add(key);
      }
      base[i] = b;
    }
    StepVector out = new StepVector(in.steps);
    List<Map<String, Integer>> outputs = new ArrayList<>(bases.size());
    for (int b = 0; b < bases.size(); b++) {
      outputs.add(new HashMap<>());
    }
    Map<Long, String> formatted = new HashMap<>();
    int[] counts = new int[16];
    int[] touched = new int[16];
    for (int step = 0; step < in.steps; step++) {
      int nTouched = 0;
      for (int i = 0; i < base.length; i++) {
        StepSeries s = in.series.get(i);
        if (!s.present[step]) {
          continue;
        }
        double v = s.values[step];
        String text =
            formatted.computeIfAbsent(
                Double.doubleToRawLongBits(v), bits -> GoFloats.formatPlain(v));
        int b = base[i];
        Integer idx = outputs.get(b).get(text);
        if (idx == null) {
          Labels l = keepValue ? LabelSets.with(bases.get(b), label, text) : bases.get(b);
          idx = out.output(l);
          outputs.get(b).put(text, idx);
        }
        if (idx >= counts.length) {
          counts = java.util.Arrays.copyOf(counts, Math.max(idx + 1, counts.length * 2));
        }
        if (counts[idx]++ == 0) {
          if (nTouched == touched.length) {
            touched = java.util.Arrays.copyOf(touched, nTouched * 2);
          }
          touched[nTouched++] = idx;
        }
      }
      for (int t = 0; t < nTouched; t++) {
        int idx = touched[t];
        out.put(idx, step, counts[idx]);
        counts[idx] = 0;
      }
    }
    return out.compact();
  }
}
