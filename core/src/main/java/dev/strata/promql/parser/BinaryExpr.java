package dev.strata.promql.parser;

/**
 * {@code lhs op rhs}. {@code matching} is null unless both sides are vectors; {@code returnBool}
 * is the {@code bool} modifier of a comparison.
 */
public record BinaryExpr(
    BinaryOp op,
    Expr lhs,
    Expr rhs,
    VectorMatching matching,
    boolean returnBool,
    PositionRange positionRange)
    implements Expr {
  @Override
  public ValueType type() {
    return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
        ? ValueType.SCALAR
        : ValueType.VECTOR;
  }
}
