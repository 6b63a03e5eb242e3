package dev.strata.promql.parser;

/** The aggregation operators; four take a parameter before the vector. */
public enum AggregateOp {
  SUM,
  AVG,
  COUNT,
  MIN,
  MAX,
  GROUP,
  STDDEV,
  STDVAR,
  TOPK,
  BOTTOMK,
  COUNT_VALUES,
  QUANTILE;

  /** The keyword as written in a query, e.g. {@code count_values}. */
  public String text() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code topk}, {@code bottomk}, {@code quantile} take a scalar, {@code count_values} a string. */
  public boolean hasParameter() {
    return this == TOPK || this == BOTTOMK || this == QUANTILE || this == COUNT_VALUES;
  }
}
