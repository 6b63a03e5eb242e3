package dev.strata.promql;

import dev.strata.promql.parser.Expr;
import dev.strata.promql.parser.PromqlParseException;
import dev.strata.promql.parser.PromqlParser;

/** Turns query text into a tree, reporting a parse error as {@code bad_data} with its message. */
final class QueryParsing {
  private QueryParsing() {}

  static Expr parse(String query) {
    try {
      return PromqlParser.parse(query);
    } catch (PromqlParseException e) {
      throw new QueryException(QueryException.ErrorType.BAD_DATA, e.getMessage(), e);
    }
  }
}
