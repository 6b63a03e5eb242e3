package dev.strata.promql.parser;

import dev.strata.tsdb.labels.GoQuote;
import dev.strata.tsdb.labels.InvalidRegexException;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.MatchType;

/**
 * Checks a matcher's regex as Prometheus does and words the error as Prometheus does. Prometheus
 * compiles the anchored form {@code ^(?:re)$} with Go's regexp package, so what is wrong, and the
 * fragment its message quotes, are those of the anchored text: {@code a\} is an unclosed
 * parenthesis there ({@code ^(?:a\)$}), and an unclosed class runs on to {@code )$}. For an
 * unbalanced parenthesis Go quotes the whole anchored text.
 */
final class RegexErrors {
  private RegexErrors() {}

  /** Prometheus's error for the regex of a matcher of this type, or null when it is valid. */
  static String check(MatchType type, String regex) {
    if (!type.isRegex()) {
      return null;
    }
    String anchored = "^(?:" + regex + ")$";
    try {
      LabelMatcher.of(MatchType.REGEX, "", anchored);
      return null;
    } catch (InvalidRegexException e) {
      return asGoMessage(e);
    }
  }

  /** {@code error parsing regexp: <problem>: `<fragment>`} for a rejected expression. */
  static String asGoMessage(InvalidRegexException e) {
    String prefix = "invalid regular expression " + GoQuote.quote(e.regex()) + ": ";
    String message = e.getMessage();
    String detail = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    // Go quotes the whole expression for an unbalanced parenthesis.
    for (String problem : new String[] {"missing closing )", "unexpected )"}) {
      if (detail.startsWith(problem)) {
        detail = problem + ": `" + e.regex() + "`";
      }
    }
    return "error parsing regexp: " + detail;
  }
}
