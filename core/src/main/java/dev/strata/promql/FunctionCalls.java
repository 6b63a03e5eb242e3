package dev.strata.promql;

import dev.strata.promql.parser.Call;
import dev.strata.promql.parser.Expr;
import dev.strata.promql.parser.MatrixSelector;
import dev.strata.promql.parser.ParenExpr;
import dev.strata.promql.parser.SubqueryExpr;
import dev.strata.promql.parser.VectorSelector;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.MatchType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates function calls: range-vector functions window their argument per series and step; the
 * others work step by step on instant vectors and scalars.
 */
final class FunctionCalls {
  private FunctionCalls() {}

  static Evaluated eval(Evaluator ev, Call call, Steps steps) {
    String name = call.function().name();
    List<Expr> args = call.args();
    if (name.equals("timestamp")) {
      Expr arg = unwrapParens(args.get(0));
      if (arg instanceof VectorSelector vs) {
        // The timestamp of the selected sample, not the evaluation time. Like Prometheus 2.42,
        // an @ time replaces the offset here instead of combining with it.
        VectorSelector sel =
            vs.at().isSet()
                ? new VectorSelector(vs.name(), vs.matchers(), 0, vs.at(), vs.positionRange())
                : vs;
        StepVector times = ev.selectInstant(sel, steps, true, name);
        return InstantFunctions.mapValues(times, true, (step, v) -> v);
      }
    }
    for (int i = 0; i < args.size(); i++) {
      Expr arg = unwrapParens(args.get(i));
      if (arg instanceof MatrixSelector || arg instanceof SubqueryExpr) {
        return evalRangeFunction(ev, name, args, i, arg, steps);
      }
    }
    List<Evaluated> values = new ArrayList<>(args.size());
    for (Expr arg : args) {
      values.add(ev.eval(arg, steps));
    }
    if (name.equals("absent")) {
      return absent((StepVector) values.get(0), absentLabels(unwrapParens(args.get(0))), steps);
    }
    return InstantFunctions.call(name, values, steps);
  }

  static Expr unwrapParens(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  private static Evaluated evalRangeFunction(
      Evaluator ev, String name, List<Expr> args, int rangeArg, Expr arg, Steps steps) {
    RangeFunction fn = RangeFunctions.BY_NAME.get(name);
    if (fn == null) {
      throw new QueryException(
          QueryException.ErrorType.INTERNAL, "function " + name + " does not take a range vector");
    }
    double[][] scalarArgs = new double[2][];
    int k = 0;
    for (int i = 0; i < args.size(); i++) {
      if (i != rangeArg && k < 2) {
        scalarArgs[k++] = ev.evalScalar(args.get(i), steps).values();
      }
    }
    RangeInput in =
        arg instanceof MatrixSelector ms
            ? ev.selectRange(ms, steps, name)
            : ev.subquery((SubqueryExpr) arg, steps);
    int n = steps.count();
    boolean keepName = name.equals("last_over_time");
    boolean absentOverTime = name.equals("absent_over_time");
    boolean[] anyAtStep = absentOverTime ? new boolean[n] : null;
    StepVector out = new StepVector(n);
    Set<Labels> produced = new HashSet<>();
    RangeWindow w = new RangeWindow();
    w.rangeMs = in.rangeMs();
    long[] ends = in.windowEnd();
    for (RawSeries s : in.series()) {
      ev.tracker.checkDeadline();
      StepSeries o = new StepSeries(keepName ? s.labels() : s.labels().dropMetricName(), n);
      w.t = s.t();
      w.v = s.v();
      int lo = 0;
      int hi = 0;
      for (int i = 0; i < n; i++) {
        long end = ends[i];
        long start = end - in.rangeMs();
        while (hi < s.n() && s.t()[hi] <= end) {
          hi++;
        }
        while (lo < hi && s.t()[lo] < start) {
          lo++;
        }
        if (lo == hi) {
          continue;
        }
        w.from = lo;
        w.to = hi;
        w.rangeStart = start;
        w.rangeEnd = end;
        w.stepTime = steps.at(i);
        if (scalarArgs[0] != null) {
          w.arg0 = scalarArgs[0][i];
        }
        if (scalarArgs[1] != null) {
          w.arg1 = scalarArgs[1][i];
        }
        ev.tracker.acquire(hi - lo);
        boolean has = fn.apply(w);
        ev.tracker.release(hi - lo);
        if (has) {
          o.set(i, w.result);
          if (anyAtStep != null) {
            anyAtStep[i] = true;
          }
        }
      }
      if (o.points > 0 && !absentOverTime) {
        if (!produced.add(o.labels)) {
          throw QueryException.execution("vector cannot contain metrics with the same labelset");
        }
        out.series.add(o);
      }
    }
    if (absentOverTime) {
      StepVector absent = new StepVector(n);
      StepSeries a = new StepSeries(absentLabels(arg), n);
      for (int i = 0; i < n; i++) {
        if (!anyAtStep[i]) {
          a.set(i, 1);
        }
      }
      if (a.points > 0) {
        absent.series.add(a);
      }
      return absent;
    }
    return out;
  }

  private static StepVector absent(StepVector in, Labels labels, Steps steps) {
    int n = steps.count();
    StepSeries a = new StepSeries(labels, n);
    for (int i = 0; i < n; i++) {
      boolean any = false;
      for (StepSeries s : in.series) {
        if (s.present[i]) {
          any = true;
          break;
        }
      }
      if (!any) {
        a.set(i, 1);
      }
    }
    StepVector out = new StepVector(n);
    if (a.points > 0) {
      out.series.add(a);
    }
    return out;
  }

  /**
   * The labels {@code absent()} reports: the selector's equality matchers, except the metric name
   * and any label matched more than once or other than by equality.
   */
  static Labels absentLabels(Expr arg) {
    List<LabelMatcher> matchers;
    if (arg instanceof VectorSelector vs) {
      matchers = vs.matchers();
    } else if (arg instanceof MatrixSelector ms) {
      matchers = ms.selector().matchers();
    } else {
      return Labels.EMPTY;
    }
    Map<String, String> kept = new java.util.TreeMap<>(dev.strata.tsdb.labels.Utf8Order.COMPARATOR);
    Set<String> seen = new HashSet<>();
    for (LabelMatcher m : matchers) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == MatchType.EQUAL && !seen.contains(m.name())) {
        if (m.value().isEmpty()) {
          kept.remove(m.name());
        } else {
          kept.put(m.name(), m.value());
        }
        seen.add(m.name());
      } else {
        kept.remove(m.name());
      }
    }
    Labels out = Labels.EMPTY;
    for (Map.Entry<String, String> e : kept.entrySet()) {
      out = LabelSets.with(out, e.getKey(), e.getValue());
    }
    return out;
  }
}
