package dev.strata.promql.parser;

/**
 * {@code expr[range:step] offset d @ t}. A {@code stepMs} of 0 means the step was left out and the
 * engine's default evaluation interval applies.
 */
public record SubqueryExpr(
    Expr expr, long rangeMs, long stepMs, long offsetMs, AtModifier at, PositionRange positionRange)
    implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }
}
