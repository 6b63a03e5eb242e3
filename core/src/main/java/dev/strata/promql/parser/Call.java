package dev.strata.promql.parser;

import java.util.List;

/** A function call, its arguments type-checked against {@link Function#argTypes()}. */
public record Call(Function function, List<Expr> args, PositionRange positionRange) implements Expr {
  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ValueType type() {
    return function.returnType();
  }
}
