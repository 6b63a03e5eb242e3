package dev.strata.promql.parser;

import dev.strata.tsdb.labels.LabelMatcher;
import java.util.List;

/**
 * Parses PromQL as Prometheus 2.42 does: the same grammar, the same type checks and the same error
 * messages, so that a query accepted or rejected by Prometheus is accepted or rejected here, with
 * the same words.
 */
public final class PromqlParser {
  private PromqlParser() {}

  /**
   * The syntax tree of {@code query}, type-checked.
   *
   * @throws PromqlParseException if it does not parse or type-check; the message is Prometheus's
   */
  public static Expr parse(String query) {
    try {
      return DeepRecursion.run(() -> parseAndCheck(query));
    } catch (StackOverflowError e) {
      throw tooDeep(query);
    }
  }

  private static Expr parseAndCheck(String query) {
    ExpressionParser parser = new ExpressionParser(query);
    List<ParseError> errors = parser.errors();
    Expr expr = parser.parseQuery();
    // Like Prometheus, types are checked only when the syntax is right.
    if (errors.isEmpty()) {
      expr = new TypeChecker(query, errors).check(expr);
    }
    if (!errors.isEmpty()) {
      throw new PromqlParseException(query, errors);
    }
    return expr;
  }

  /**
   * The matchers of a lone selector such as {@code up{job="api"}} or {@code {__name__=~"http_.*"}},
   * as the HTTP API's {@code match[]} takes them. A name before the braces comes last, as an
   * equality matcher on {@code __name__}. Unlike {@link #parse}, an empty selector {@code {}} is
   * accepted (Prometheus leaves that check to the caller).
   *
   * @throws PromqlParseException with Prometheus's message
   */
  public static List<LabelMatcher> parseMetricSelector(String selector) {
    // A selector has no nesting, so no deep recursion either.
    ExpressionParser parser = new ExpressionParser(selector);
    VectorSelector parsed = parser.parseMetricSelectorOnly();
    if (!parser.errors().isEmpty()) {
      throw new PromqlParseException(selector, parser.errors());
    }
    return parsed.matchers();
  }

  private static PromqlParseException tooDeep(String query) {
    return new PromqlParseException(
        query, List.of(new ParseError(PositionRange.NONE, "expression nests too deeply")));
  }
}
