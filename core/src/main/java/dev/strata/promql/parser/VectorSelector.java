package dev.strata.promql.parser;

import dev.strata.tsdb.labels.LabelMatcher;
import java.util.List;

/**
 * An instant vector selector, {@code name{matchers} offset d @ t}. {@code matchers} includes the
 * {@code __name__} equality for a name written before the braces (as Prometheus does);
 * {@code name} is that name, or null when there is none.
 */
public record VectorSelector(
    String name,
    List<LabelMatcher> matchers,
    long offsetMs,
    AtModifier at,
    PositionRange positionRange)
    implements Expr {

  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }
}
