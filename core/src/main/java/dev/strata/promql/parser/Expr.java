package dev.strata.promql.parser;

/**
 * A node of a parsed PromQL expression. The tree is immutable; {@link Printer} turns it back into
 * text that parses to an equal tree.
 */
public sealed interface Expr
    permits AggregateExpr, BinaryExpr, Call, MatrixSelector, NumberLiteral, ParenExpr, StringLiteral,
        SubqueryExpr, UnaryExpr, VectorSelector {

  /** What the expression evaluates to. */
  ValueType type();

  /** Where the expression stands in the query text. */
  PositionRange positionRange();
}
