package dev.strata.promql.parser;

import dev.strata.tsdb.labels.LabelMatcher;
import java.util.Comparator;
import java.util.List;

/**
 * Trees compared as printing preserves them: every node's position set to {@link
 * PositionRange#NONE}, and a selector's matchers in a fixed order (printing sorts them).
 */
final class Positions {
  private static final PositionRange NONE = PositionRange.NONE;

  private Positions() {}

  static Expr strip(Expr e) {
    if (e instanceof AggregateExpr a) {
      return new AggregateExpr(
          a.op(), strip(a.expr()), a.param() == null ? null : strip(a.param()), a.grouping(),
          a.without(), NONE);
    } else if (e instanceof BinaryExpr b) {
      return new BinaryExpr(b.op(), strip(b.lhs()), strip(b.rhs()), b.matching(), b.returnBool(), NONE);
    } else if (e instanceof Call c) {
      List<Expr> args = c.args().stream().map(Positions::strip).toList();
      return new Call(c.function(), args, NONE);
    } else if (e instanceof MatrixSelector m) {
      return new MatrixSelector((VectorSelector) strip(m.selector()), m.rangeMs(), NONE);
    } else if (e instanceof SubqueryExpr s) {
      return new SubqueryExpr(strip(s.expr()), s.rangeMs(), s.stepMs(), s.offsetMs(), s.at(), NONE);
    } else if (e instanceof NumberLiteral n) {
      return new NumberLiteral(n.value(), NONE);
    } else if (e instanceof StringLiteral s) {
      return new StringLiteral(s.value(), NONE);
    } else if (e instanceof ParenExpr p) {
      return new ParenExpr(strip(p.expr()), NONE);
    } else if (e instanceof UnaryExpr u) {
      return new UnaryExpr(u.negate(), strip(u.expr()), NONE);
    } else if (e instanceof VectorSelector v) {
      List<LabelMatcher> sorted =
          v.matchers().stream().sorted(Comparator.comparing(LabelMatcher::toString)).toList();
      return new VectorSelector(v.name(), sorted, v.offsetMs(), v.at(), NONE);
    }
    throw new IllegalArgumentException("unknown node " + e);
  }
}
