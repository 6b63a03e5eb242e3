package dev.strata.tsdb.labels;

/**
 * A regular expression of a label matcher is not valid RE2 syntax (the syntax Prometheus accepts),
 * or uses a construct Strata cannot match.
 *
 * <p>The message quotes the whole expression and the offending part, in the form Prometheus users
 * know: {@code invalid regular expression "a(b": missing closing ): `(b`}.
 */
public class InvalidRegexException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String regex;

  public InvalidRegexException(String regex, String problem, String fragment) {
    super(
        "invalid regular expression "
            + GoQuote.quote(regex)
            + ": "
            + problem
            + (fragment == null ? "" : ": `" + fragment + "`"));
    this.regex = regex;
  }

  /** The expression as given by the user, without Prometheus's anchors. */
  public String regex() {
    return regex;
  }
}
