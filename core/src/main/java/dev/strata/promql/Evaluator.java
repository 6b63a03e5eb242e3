package dev.strata.promql;

import dev.strata.promql.parser.AggregateExpr;
import dev.strata.promql.parser.AtModifier;
import dev.strata.promql.parser.BinaryExpr;
import dev.strata.promql.parser.Call;
import dev.strata.promql.parser.Expr;
import dev.strata.promql.parser.MatrixSelector;
import dev.strata.promql.parser.NumberLiteral;
import dev.strata.promql.parser.ParenExpr;
import dev.strata.promql.parser.StringLiteral;
import dev.strata.promql.parser.SubqueryExpr;
import dev.strata.promql.parser.UnaryExpr;
import dev.strata.promql.parser.VectorSelector;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates an expression tree over all the steps of a query at once, bottom-up, as Prometheus's
 * evaluator does: every sub-expression yields its values for every step, and each selector is
 * resolved and decoded once for the whole query, then stepped through with moving indices.
 *
 * <p>{@code @} and {@code offset} are applied where a selector or subquery is evaluated: its
 * evaluation time at a step is the step's time (or the {@code @} time) minus the offset, which is
 * what Prometheus's offset rewriting for {@code @} amounts to.
 */
final class Evaluator {
  final QueryTracker tracker;
  private final SeriesLoader loader;
  private final long lookbackMs;
  private final long defaultIntervalMs;
  private final long queryStart;
  private final long queryEnd;

  Evaluator(
      Queryable queryable,
      EngineOptions options,
      long lookbackMs,
      QueryTracker tracker,
      long queryStart,
      long queryEnd) {
    this.tracker = tracker;
    this.loader = new SeriesLoader(queryable, tracker);
    this.lookbackMs = lookbackMs;
    this.defaultIntervalMs = options.defaultEvaluationInterval().toMillis();
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
  }

  /**
   * Evaluates {@code e} at every step. Samples held by the children count against the limit until
   * the node's own result is built; from then on only that result counts.
   */
  Evaluated eval(Expr e, Steps steps) {
    tracker.checkDeadline();
    long held = tracker.current();
    Evaluated result = evalNode(e, steps);
    tracker.resetTo(held);
    tracker.acquire(points(result));
    return result;
  }

  private static long points(Evaluated v) {
    if (v instanceof StepVector sv) {
      return sv.points();
    } else if (v instanceof ScalarSteps s) {
      return s.values().length;
    } else if (v instanceof RangeInput r) {
      return r.heldSamples();
    }
    return 0;
  }

  private Evaluated evalNode(Expr e, Steps steps) {
    if (e instanceof NumberLiteral n) {
      return ScalarSteps.constant(n.value(), steps.count());
    } else if (e instanceof StringLiteral s) {
      return new StringConstant(s.value());
    } else if (e instanceof ParenExpr p) {
      return eval(p.expr(), steps);
    } else if (e instanceof UnaryExpr u) {
      return unary(u, steps);
    } else if (e instanceof VectorSelector vs) {
      return selectInstant(vs, steps, false, null);
    } else if (e instanceof MatrixSelector ms) {
      return selectRange(ms, steps, null);
    } else if (e instanceof SubqueryExpr sq) {
      return subquery(sq, steps);
    } else if (e instanceof BinaryExpr b) {
      return BinaryOperations.eval(this, b, steps);
    } else if (e instanceof Call c) {
      return FunctionCalls.eval(this, c, steps);
    } else if (e instanceof AggregateExpr a) {
      return Aggregations.eval(this, a, steps);
    }
    throw new QueryException(QueryException.ErrorType.INTERNAL, "unknown expression " + e);
  }

  StepVector evalVector(Expr e, Steps steps) {
    return (StepVector) eval(e, steps);
  }

  ScalarSteps evalScalar(Expr e, Steps steps) {
    return (ScalarSteps) eval(e, steps);
  }

  /**
   * The evaluation time of a selector or subquery at each step: step or {@code @} time, minus
   * offset.
   */
  long[] selectionTimes(long offsetMs, AtModifier at, Steps steps) {
    int n = steps.count();
    long[] times = new long[n];
    if (at != null && at.isSet()) {
      long fixed = atTime(at) - offsetMs;
      java.util.Arrays.fill(times, fixed);
    } else {
      for (int i = 0; i < n; i++) {
        times[i] = steps.at(i) - offsetMs;
      }
    }
    return times;
  }

  long atTime(AtModifier at) {
    return switch (at.kind()) {
      case START -> queryStart;
      case END -> queryEnd;
      case TIMESTAMP -> at.timestampMs();
      case NONE -> throw new IllegalStateException("no @ modifier");
    };
  }

  /**
   * An instant selector at every step: the newest sample in {@code [t - lookback, t]} unless it is
   * a stale marker. With {@code sampleTimes} the value is the sample's timestamp in seconds (for
   * {@code timestamp()}).
   */
  StepVector selectInstant(VectorSelector vs, Steps steps, boolean sampleTimes, String function) {
    long[] times = selectionTimes(vs.offsetMs(), vs.at(), steps);
    int n = times.length;
    long mint = times[0] - lookbackMs;
    long maxt = times[n - 1];
    SelectHints hints =
        new SelectHints(steps.start(), steps.end(), steps.step(), function, 0, lookbackMs);
    List<RawSeries> raw = loader.load(vs.matchers(), mint, maxt, hints, true);
    StepVector out = new StepVector(n, new ArrayList<>(raw.size()));
    for (RawSeries rs : raw) {
      StepSeries ss = new StepSeries(rs.labels(), n);
      long[] t = rs.t();
      double[] v = rs.v();
      int j = -1; // index of the newest sample at or before the current time
      for (int i = 0; i < n; i++) {
        long ref = times[i];
        while (j + 1 < rs.n() && t[j + 1] <= ref) {
          j++;
        }
        if (j < 0 || t[j] < ref - lookbackMs || StaleMarker.is(v[j])) {
          continue;
        }
        ss.set(i, sampleTimes ? t[j] / 1000.0 : v[j]);
      }
      if (ss.points > 0) {
        out.series.add(ss);
        tracker.acquire(ss.points);
      }
    }
    return out;
  }

  /** A range selector: its series' samples, stale markers dropped, and its windows. */
  RangeInput selectRange(MatrixSelector ms, Steps steps, String function) {
    VectorSelector vs = ms.selector();
    long[] ends = selectionTimes(vs.offsetMs(), vs.at(), steps);
    long mint = ends[0] - ms.rangeMs();
    long maxt = ends[ends.length - 1];
    SelectHints hints =
        new SelectHints(
            steps.start(), steps.end(), steps.step(), function, ms.rangeMs(), lookbackMs);
    List<RawSeries> raw = loader.load(vs.matchers(), mint, maxt, hints, false);
    long held = ends.length == 1 ? RangeInput.totalSamples(raw) : 0;
    return new RangeInput(raw, ends, ms.rangeMs(), held);
  }

  /**
   * A subquery: its expression evaluated on the grid of multiples of its step (aligned to the
   * epoch) covering every window, then windowed like a range selector.
   */
  RangeInput subquery(SubqueryExpr sq, Steps steps) {
    long interval = sq.stepMs() == 0 ? defaultIntervalMs : sq.stepMs();
    long[] ends = selectionTimes(sq.offsetMs(), sq.at(), steps);
    long first = ends[0] - sq.rangeMs();
    long last = ends[ends.length - 1];
    long innerStart = interval * (first / interval);
    if (innerStart < first) {
      innerStart += interval;
    }
    List<RawSeries> series = new ArrayList<>();
    if (innerStart <= last) {
      Steps inner = new Steps(innerStart, last, interval);
      Evaluated v = eval(sq.expr(), inner);
      if (v instanceof ScalarSteps s) {
        long[] t = new long[inner.count()];
        for (int i = 0; i < t.length; i++) {
          t[i] = inner.at(i);
        }
        series.add(new RawSeries(Labels.EMPTY, t, s.values().clone(), t.length));
      } else {
        for (StepSeries ss : ((StepVector) v).series) {
          long[] t = new long[ss.points];
          double[] vals = new double[ss.points];
          int k = 0;
          for (int i = 0; i < ss.present.length; i++) {
            if (ss.present[i]) {
              t[k] = inner.at(i);
              vals[k++] = ss.values[i];
            }
          }
          if (k > 0) {
            series.add(new RawSeries(ss.labels, t, vals, k));
          }
        }
      }
    }
    return new RangeInput(series, ends, sq.rangeMs(), RangeInput.totalSamples(series));
  }

  private Evaluated unary(UnaryExpr u, Steps steps) {
    Evaluated v = eval(u.expr(), steps);
    if (!u.negate()) {
      return v;
    }
    if (v instanceof ScalarSteps s) {
      double[] out = new double[s.values().length];
      for (int i = 0; i < out.length; i++) {
        out[i] = -s.values()[i];
      }
      return new ScalarSteps(out);
    }
    StepVector in = (StepVector) v;
    StepVector out = new StepVector(in.steps);
    for (StepSeries s : in.series) {
      int before = out.series.size();
      int idx = out.output(s.labels.dropMetricName());
      if (idx < before) {
        // Prometheus checks the whole negated matrix for repeated label sets.
        throw QueryException.execution("vector cannot contain metrics with the same labelset");
      }
      StepSeries o = out.series.get(idx);
      for (int i = 0; i < in.steps; i++) {
        if (s.present[i]) {
          o.set(i, -s.values[i]);
        }
      }
    }
    return out;
  }
}
