package dev.strata.promql.parser;

/** A string, its escapes resolved. */
public record StringLiteral(String value, PositionRange positionRange) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.STRING;
  }
}
