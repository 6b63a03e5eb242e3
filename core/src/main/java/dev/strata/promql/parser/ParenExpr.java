package dev.strata.promql.parser;

/** {@code (expr)}: kept in the tree so that printing gives back the parentheses. */
public record ParenExpr(Expr expr, PositionRange positionRange) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }
}
