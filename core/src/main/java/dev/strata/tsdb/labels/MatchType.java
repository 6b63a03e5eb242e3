package dev.strata.tsdb.labels;

/** How a {@link LabelMatcher} compares a label value, with PromQL's operator for each. */
public enum MatchType {
  EQUAL("="),
  NOT_EQUAL("!="),
  REGEX("=~"),
  NOT_REGEX("!~");

  private final String operator;

  MatchType(String operator) {
    this.operator = operator;
  }

  /** The PromQL operator, e.g. {@code "=~"}. */
  public String operator() {
    return operator;
  }

  /** Whether this type negates the comparison. */
  public boolean isNegative() {
    return this == NOT_EQUAL || this == NOT_REGEX;
  }

  /** Whether the value is a regular expression. */
  public boolean isRegex() {
    return this == REGEX || this == NOT_REGEX;
  }

  @Override
  public String toString() {
    return operator;
  }
}
