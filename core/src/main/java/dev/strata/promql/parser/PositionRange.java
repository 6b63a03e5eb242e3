package dev.strata.promql.parser;

/** Where a node stands in the query text: character offsets, {@code start} inclusive, {@code end} exclusive. */
public record PositionRange(int start, int end) {
  public static final PositionRange NONE = new PositionRange(0, 0);
}
