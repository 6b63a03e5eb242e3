package dev.strata.promql.parser;

import java.util.List;

/**
 * {@code op [without|by (grouping)] ([param,] expr)}. {@code param} is null for operators without
 * one. {@code grouping} is kept as written (Prometheus sorts nothing here).
 */
public record AggregateExpr(
    AggregateOp op,
    Expr expr,
    Expr param,
    List<String> grouping,
    boolean without,
    PositionRange positionRange)
    implements Expr {

  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }
}
