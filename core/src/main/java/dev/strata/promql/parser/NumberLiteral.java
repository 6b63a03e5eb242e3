package dev.strata.promql.parser;

/** A number: {@code 1}, {@code 0x1f}, {@code 1e-3}, {@code Inf}, {@code NaN}. */
public record NumberLiteral(double value, PositionRange positionRange) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }
}
