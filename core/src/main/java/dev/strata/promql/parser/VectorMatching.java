package dev.strata.promql.parser;

import java.util.List;

/**
 * How the two vectors of a binary expression are matched: {@code on(labels)} ({@code on} true) or
 * {@code ignoring(labels)}, and for {@code group_left(include)} / {@code group_right(include)} the
 * cardinality and the labels copied from the "one" side.
 */
public record VectorMatching(
    Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include) {

  public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

  public VectorMatching {
    matchingLabels = List.copyOf(matchingLabels);
    include = List.copyOf(include);
  }
}
