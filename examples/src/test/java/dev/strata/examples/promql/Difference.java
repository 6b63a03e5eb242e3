package dev.strata.examples.promql;

/**
 * One way two answers to the same request differ. {@code category} names what differs (status,
 * errorType, resultType, series, order, points, timestamps, values, ...); {@code detail} shows
 * Prometheus's and Strata's side of the first place it differs.
 */
record Difference(String category, String detail) {
  /** Differing error message texts are reported, but do not fail the test. */
  static final String ERROR_TEXT = "error text";

  boolean informational() {
    return category.equals(ERROR_TEXT);
  }
}
