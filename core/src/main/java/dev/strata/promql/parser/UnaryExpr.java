package dev.strata.promql.parser;

/** {@code -expr} or {@code +expr}. */
public record UnaryExpr(boolean negate, Expr expr, PositionRange positionRange) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }
}
