package dev.strata.promql.parser;

/**
 * The {@code @} modifier of a selector or subquery: absent, a fixed time ({@code @ 1609746000}), or
 * the query's start or end ({@code @ start()}, {@code @ end()}).
 */
public record AtModifier(Kind kind, long timestampMs) {
  public enum Kind { NONE, TIMESTAMP, START, END }

  public static final AtModifier NONE = new AtModifier(Kind.NONE, 0);
  public static final AtModifier START = new AtModifier(Kind.START, 0);
  public static final AtModifier END = new AtModifier(Kind.END, 0);

  public static AtModifier at(long timestampMs) {
    return new AtModifier(Kind.TIMESTAMP, timestampMs);
  }

  public boolean isSet() {
    return kind != Kind.NONE;
  }
}
