package dev.strata.promql;

import java.util.List;

/** The value of a query, the warnings met while computing it, and what it cost. */
public record QueryResult(Value value, List<String> warnings, QueryStats stats) {
  public QueryResult {
    warnings = List.copyOf(warnings);
  }
}
