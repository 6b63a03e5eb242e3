package dev.strata.tsdb.labels;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A condition on one label of a series, as in a PromQL selector: {@code job="api"}, {@code
 * code!="200"}, {@code path=~"/api/.*"}, {@code env!~"dev|test"}.
 *
 * <p>Semantics are Prometheus 2.42's. An absent label has the value {@code ""}, so {@code foo=""}
 * matches series without {@code foo}, {@code foo!=""} requires it, {@code foo=~".*"} matches series
 * without it and {@code foo=~".+"} does not. Regular expressions use RE2 syntax and must match the
 * whole value, as if written {@code ^(?:re)$}; {@code .} does not match a newline unless the {@code
 * s} flag is set.
 *
 * <p>Regexes are compiled once, at construction, to the cheapest form that decides them (see {@code
 * RegexProgram}): equality, a hash-set lookup, prefix/suffix/substring checks, or, only when
 * nothing simpler is exact, {@link java.util.regex}. {@link #setMatches} and {@link #prefix} expose
 * that analysis so that an index can read postings directly instead of testing every value.
 *
 * <p>Instances are immutable and thread-safe; equality is by type, name and value.
 */
public final class LabelMatcher {

  private final MatchType type;
  private final String name;
  private final String value;
  private final boolean negative;
  private final RegexProgram regex; // null for EQUAL and NOT_EQUAL

  private LabelMatcher(MatchType type, String name, String value) {
    this.type = Objects.requireNonNull(type, "match type is null");
    this.name = Objects.requireNonNull(name, "label name is null");
    this.value = Objects.requireNonNull(value, "matcher value is null");
    this.negative = type.isNegative();
    this.regex = type.isRegex() ? RegexProgram.compile(value) : null;
  }

  /**
   * A matcher of the given type. The name is not validated: a matcher on a name no series can have
   * simply sees {@code ""}, as in Prometheus.
   *
   * @throws InvalidRegexException for a regex type whose value is not a valid RE2 expression
   */
  public static LabelMatcher of(MatchType type, String name, String value) {
    return new LabelMatcher(type, name, value);
  }

  /** {@code name="value"}. */
  public static LabelMatcher equal(String name, String value) {
    return new LabelMatcher(MatchType.EQUAL, name, value);
  }

  /** {@code name!="value"}. */
  public static LabelMatcher notEqual(String name, String value) {
    return new LabelMatcher(MatchType.NOT_EQUAL, name, value);
  }

  /**
   * {@code name=~"regex"}.
   *
   * @throws InvalidRegexException if {@code regex} is not a valid RE2 expression
   */
  public static LabelMatcher regex(String name, String regex) {
    return new LabelMatcher(MatchType.REGEX, name, regex);
  }

  /**
   * {@code name!~"regex"}.
   *
   * @throws InvalidRegexException if {@code regex} is not a valid RE2 expression
   */
  public static LabelMatcher notRegex(String name, String regex) {
    return new LabelMatcher(MatchType.NOT_REGEX, name, regex);
  }

  public MatchType type() {
    return type;
  }

  /** The label name the matcher applies to. */
  public String name() {
    return name;
  }

  /** The value or regular expression, as given. */
  public String value() {
    return value;
  }

  /**
   * Whether a label value satisfies the matcher; pass {@code ""} for an absent label. Allocates
   * nothing unless the regex needs {@link java.util.regex}.
   *
   * @throws IllegalStateException if the value is too long for the backtracking regex engine to
   *     match against a complex expression (such as a repeated group of alternatives on a value of
   *     thousands of characters), where Prometheus's RE2 would not fail
   */
  public boolean matches(String labelValue) {
    boolean m = regex == null ? value.equals(labelValue) : regex.matches(labelValue);
    return m != negative;
  }

  /** Whether the series with {@code labels} satisfies the matcher. */
  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  /**
   * Whether series without the label satisfy the matcher: then an index must also select series
   * that lack the label, not only postings of matching values.
   */
  public boolean matchesEmpty() {
    return matches("");
  }

  /**
   * The complete, finite list of values this matcher accepts, distinct and in UTF-8 order, when it
   * is known: for {@code =}, and for {@code =~} whose expression accepts few enough strings (a
   * literal, {@code a|b|c}, {@code (GET|POST)}, {@code [0-3]}...). The list may contain {@code ""},
   * standing for series without the label (see {@link #matchesEmpty}). Empty when unknown,
   * including for every negative matcher, whose accepted set is infinite.
   */
  public Optional<List<String>> setMatches() {
    if (negative) {
      return Optional.empty();
    }
    if (regex == null) {
      return Optional.of(List.of(value));
    }
    return Optional.ofNullable(regex.setMatches());
  }

  /**
   * A string every accepted value starts with, so that an index can seek to it: the value for
   * {@code =}, a literal prefix of the expression for {@code =~} (possibly {@code ""}), and {@code
   * ""} for negative matchers.
   */
  public String prefix() {
    if (negative) {
      return "";
    }
    return regex == null ? value : regex.prefix();
  }

  /** The matcher accepting exactly the values this one rejects. */
  public LabelMatcher inverse() {
    MatchType inverse =
        switch (type) {
          case EQUAL -> MatchType.NOT_EQUAL;
          case NOT_EQUAL -> MatchType.EQUAL;
          case REGEX -> MatchType.NOT_REGEX;
          case NOT_REGEX -> MatchType.REGEX;
        };
    return new LabelMatcher(inverse, name, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m
        && type == m.type
        && name.equals(m.name)
        && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return (type.ordinal() * 31 + name.hashCode()) * 31 + value.hashCode();
  }

  /** As Prometheus prints it: {@code name=~"value"}, the value quoted by {@link GoQuote}. */
  @Override
  public String toString() {
    return GoQuote.appendQuoted(new StringBuilder().append(name).append(type.operator()), value)
        .toString();
  }
}
