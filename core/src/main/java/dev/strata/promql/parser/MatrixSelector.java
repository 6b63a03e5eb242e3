package dev.strata.promql.parser;

/**
 * A range vector selector, {@code selector[range]}; offset and {@code @} live on the inner selector,
 * wherever they were written.
 */
public record MatrixSelector(VectorSelector selector, long rangeMs, PositionRange positionRange)
    implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }
}
