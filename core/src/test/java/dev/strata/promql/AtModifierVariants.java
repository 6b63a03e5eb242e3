package dev.strata.promql;

import dev.strata.promql.parser.AggregateExpr;
import dev.strata.promql.parser.AtModifier;
import dev.strata.promql.parser.BinaryExpr;
import dev.strata.promql.parser.Call;
import dev.strata.promql.parser.Expr;
import dev.strata.promql.parser.MatrixSelector;
import dev.strata.promql.parser.ParenExpr;
import dev.strata.promql.parser.SubqueryExpr;
import dev.strata.promql.parser.UnaryExpr;
import dev.strata.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The extra evaluations Prometheus's test runner makes of every {@code eval}: the expression with
 * {@code @ <eval time>} on each selector and outermost subquery that has none, evaluated at other
 * times, must give the same answer. Skipped when the expression calls a function whose result
 * depends on the evaluation time itself.
 */
final class AtModifierVariants {
  private AtModifierVariants() {}

  private static final Set<String> UNSAFE =
      Set.of(
          "days_in_month",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "hour",
          "minute",
          "month",
          "year",
          "predict_linear",
          "time",
          "timestamp");

  record Variant(Expr expr, long timeMs) {}

  static List<Variant> of(Expr expr, long timeMs) {
    if (callsUnsafe(expr)) {
      return List.of();
    }
    Expr pinned = pin(expr, AtModifier.at(timeMs));
    long[] times =
        timeMs == 0
            ? new long[] {-1000, 0, 1000}
            : new long[] {-10 * timeMs, 0, timeMs / 5, timeMs, 10 * timeMs};
    List<Variant> out = new ArrayList<>();
    for (long t : times) {
      out.add(new Variant(pinned, t));
    }
    return out;
  }

  private static boolean callsUnsafe(Expr e) {
    if (e instanceof Call c) {
      if (UNSAFE.contains(c.function().name())) {
        return true;
      }
      for (Expr a : c.args()) {
        if (callsUnsafe(a)) {
          return true;
        }
      }
      return false;
    }
    for (Expr child : children(e)) {
      if (callsUnsafe(child)) {
        return true;
      }
    }
    return false;
  }

  private static List<Expr> children(Expr e) {
    List<Expr> out = new ArrayList<>();
    if (e instanceof AggregateExpr a) {
      if (a.param() != null) {
        out.add(a.param());
      }
      out.add(a.expr());
    } else if (e instanceof BinaryExpr b) {
      out.add(b.lhs());
      out.add(b.rhs());
    } else if (e instanceof ParenExpr p) {
      out.add(p.expr());
    } else if (e instanceof UnaryExpr u) {
      out.add(u.expr());
    } else if (e instanceof SubqueryExpr s) {
      out.add(s.expr());
    } else if (e instanceof MatrixSelector m) {
      out.add(m.selector());
    } else if (e instanceof Call c) {
      out.addAll(c.args());
    }
    return out;
  }

  private static Expr pin(Expr e, AtModifier at) {
    if (e instanceof VectorSelector v) {
      return v.at().isSet()
          ? v
          : new VectorSelector(v.name(), v.matchers(), v.offsetMs(), at, v.positionRange());
    } else if (e instanceof MatrixSelector m) {
      return new MatrixSelector(
          (VectorSelector) pin(m.selector(), at), m.rangeMs(), m.positionRange());
    } else if (e instanceof SubqueryExpr s) {
      // Selectors inside a subquery keep their times; the subquery itself is pinned.
      return s.at().isSet()
          ? s
          : new SubqueryExpr(
              s.expr(), s.rangeMs(), s.stepMs(), s.offsetMs(), at, s.positionRange());
    } else if (e instanceof AggregateExpr a) {
      return new AggregateExpr(
          a.op(),
          pin(a.expr(), at),
          a.param() == null ? null : pin(a.param(), at),
          a.grouping(),
          a.without(),
          a.positionRange());
    } else if (e instanceof BinaryExpr b) {
      return new BinaryExpr(
          b.op(),
          pin(b.lhs(), at),
          pin(b.rhs(), at),
          b.matching(),
          b.returnBool(),
          b.positionRange());
    } else if (e instanceof ParenExpr p) {
      return new ParenExpr(pin(p.expr(), at), p.positionRange());
    } else if (e instanceof UnaryExpr u) {
      return new UnaryExpr(u.negate(), pin(u.expr(), at), u.positionRange());
    } else if (e instanceof Call c) {
      List<Expr> args = new ArrayList<>();
      for (Expr a : c.args()) {
        args.add(pin(a, at));
      }
      return new Call(c.function(), args, c.positionRange());
    }
    return e;
  }
}
