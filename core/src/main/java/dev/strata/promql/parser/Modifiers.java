package dev.strata.promql.parser;

import java.util.List;

/**
 * Applies {@code offset} and {@code @} to the expression they follow, with Prometheus's checks:
 * only selectors and subqueries take them, each at most once. On a range selector they go to the
 * selector inside. Problems are added to the parser's error list; the expression is then returned
 * unchanged.
 */
final class Modifiers {
  private static final String OFFSET_PLACEMENT =
      "offset modifier must be preceded by an instant vector selector or range vector selector or"
          + " a subquery";
  private static final String AT_PLACEMENT =
      "@ modifier must be preceded by an instant vector selector or range vector selector or a"
          + " subquery";
  private static final double TWO_TO_63 = 0x1p63;

  private Modifiers() {}

  static Expr withOffset(Expr expr, long offsetMs, int end, List<ParseError> errors) {
    long existing;
    if (expr instanceof VectorSelector vs) {
      existing = vs.offsetMs();
    } else if (expr instanceof MatrixSelector ms) {
      existing = ms.selector().offsetMs();
    } else if (expr instanceof SubqueryExpr sq) {
      existing = sq.offsetMs();
    } else {
      errors.add(new ParseError(expr.positionRange(), OFFSET_PLACEMENT));
      return expr;
    }
    if (existing != 0) {
      errors.add(new ParseError(expr.positionRange(), "offset may not be set multiple times"));
      return expr;
    }
    return rebuild(expr, offsetMs, null, end);
  }

  /** {@code @ <seconds>}; the timestamp is kept in milliseconds, rounded as Go rounds. */
  static Expr withTimestamp(Expr expr, double seconds, int end, List<ParseError> errors) {
    if (Double.isInfinite(seconds)
        || Double.isNaN(seconds)
        || seconds >= TWO_TO_63
        || seconds <= -TWO_TO_63) {
      errors.add(
          new ParseError(
              expr.positionRange(),
              "timestamp out of bounds for @ modifier: " + GoText.formatFixed6(seconds)));
    }
    return withAt(expr, AtModifier.at(roundHalfAwayFromZero(seconds * 1000)), end, errors);
  }

  static Expr withAt(Expr expr, AtModifier at, int end, List<ParseError> errors) {
    AtModifier existing;
    if (expr instanceof VectorSelector vs) {
      existing = vs.at();
    } else if (expr instanceof MatrixSelector ms) {
      existing = ms.selector().at();
    } else if (expr instanceof SubqueryExpr sq) {
      existing = sq.at();
    } else {
      errors.add(new ParseError(expr.positionRange(), AT_PLACEMENT));
      return expr;
    }
    if (existing.isSet()) {
      errors.add(
          new ParseError(expr.positionRange(), "@ <timestamp> may not be set multiple times"));
      return expr;
    }
    return rebuild(expr, null, at, end);
  }

  /** A copy with the offset or the {@code @} (whichever is non-null) set and the end moved. */
  private static Expr rebuild(Expr expr, Long offsetMs, AtModifier at, int end) {
    if (expr instanceof VectorSelector vs) {
      return withSelector(vs, offsetMs, at, new PositionRange(vs.positionRange().start(), end));
    }
    if (expr instanceof MatrixSelector ms) {
      VectorSelector inner = withSelector(ms.selector(), offsetMs, at, ms.selector().positionRange());
      return new MatrixSelector(
          inner, ms.rangeMs(), new PositionRange(ms.positionRange().start(), end));
    }
    SubqueryExpr sq = (SubqueryExpr) expr;
    return new SubqueryExpr(
        sq.expr(),
        sq.rangeMs(),
        sq.stepMs(),
        offsetMs != null ? offsetMs : sq.offsetMs(),
        at != null ? at : sq.at(),
        new PositionRange(sq.positionRange().start(), end));
  }

  private static VectorSelector withSelector(
      VectorSelector vs, Long offsetMs, AtModifier at, PositionRange where) {
    return new VectorSelector(
        vs.name(),
        vs.matchers(),
        offsetMs != null ? offsetMs : vs.offsetMs(),
        at != null ? at : vs.at(),
        where);
  }

  /** Go's {@code math.Round}: halves go away from zero (Java's {@code Math.round} goes up). */
  private static long roundHalfAwayFromZero(double x) {
    double magnitude = Math.abs(x);
    double floor = Math.floor(magnitude);
    double rounded = magnitude - floor >= 0.5 ? floor + 1 : floor;
    return (long) Math.copySign(rounded, x);
  }
}
