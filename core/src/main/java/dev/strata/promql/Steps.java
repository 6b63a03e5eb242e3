package dev.strata.promql;

/**
 * The evaluation timestamps of a query or subquery: {@code start, start + step, ... <= end}. An
 * instant query has one step.
 */
record Steps(long start, long end, long step) {

  static Steps instant(long t) {
    return new Steps(t, t, 1);
  }

  int count() {
    return (int) ((end - start) / step) + 1;
  }

  long at(int i) {
    return start + i * step;
  }
}
