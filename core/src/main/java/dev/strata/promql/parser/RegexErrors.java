package dev.strata.promql.parser;

import dev.strata.tsdb.labels.GoQuote;
import dev.strata.tsdb.labels.InvalidRegexException;

/**
 * Rewrites a bad matcher regex's error in the words Prometheus uses. Prometheus compiles the
 * anchored form {@code ^(?:re)$} with Go's regexp package, so its message reads {@code error
 * parsing regexp: <problem>: `<fragment>`}, where the fragment of an unbalanced parenthesis is the
 * whole anchored expression.
 */
final class RegexErrors {
  private RegexErrors() {}

  static String asGoMessage(InvalidRegexException e) {
    String prefix = "invalid regular expression " + GoQuote.quote(e.regex()) + ": ";
    String message = e.getMessage();
    String detail = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    if (detail.startsWith("missing closing )") || detail.startsWith("unexpected )")) {
      String problem = detail.startsWith("missing") ? "missing closing )" : "unexpected )";
      detail = problem + ": `^(?:" + e.regex() + ")$`";
    }
    return "error parsing regexp: " + detail;
  }
}
