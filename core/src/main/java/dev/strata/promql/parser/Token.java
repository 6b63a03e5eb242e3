package dev.strata.promql.parser;

import dev.strata.tsdb.labels.GoQuote;

/**
 * One lexed token: its type, where it starts in the query (a char offset) and its text. For an
 * {@link TokenType#ERROR} token the text is the lexer's message.
 */
record Token(TokenType type, int pos, String text) {

  int end() {
    return pos + text.length();
  }

  /** How an "unexpected ..." message names this token, e.g. {@code identifier "foo"}, {@code <by>}. */
  String describe() {
    if (type == TokenType.EOF) {
      return type.describe();
    }
    if (type.hasFixedSpelling()) {
      return display();
    }
    return type.describe() + " " + display();
  }

  private String display() {
    return switch (type.group()) {
      case END -> "EOF";
      case ERROR -> text;
      case KEYWORD -> "<" + text + ">";
      case OPERATOR -> "<op:" + text + ">";
      case AGGREGATOR -> "<aggr:" + text + ">";
      default -> {
        if (type == TokenType.IDENTIFIER || type == TokenType.METRIC_IDENTIFIER) {
          yield GoQuote.quote(text);
        }
        yield text.codePointCount(0, text.length()) > 10
            ? GoText.quoteTruncated(text, 10) + "..."
            : GoQuote.quote(text);
      }
    };
  }
}
