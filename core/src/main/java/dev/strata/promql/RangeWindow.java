package dev.strata.promql;

/**
 * The samples of one series inside one step's window, {@code t[from..to)} and {@code v[from..to)},
 * with the window's bounds and the step's scalar arguments. One instance is reused for every window
 * of a query node; a {@link RangeFunction} writes its answer to {@link #result}.
 */
final class RangeWindow {
  long[] t;
  double[] v;
  int from;
  int to;

  /** Window bounds after offset and {@code @}, closed. */
  long rangeStart;

  long rangeEnd;
  long rangeMs;

  /** The step's own timestamp (Prometheus's {@code enh.Ts}), before offset. */
  long stepTime;

  /** Scalar arguments at this step, in argument order (excluding the range argument). */
  double arg0;

  double arg1;
  double result;

  /** Scratch and results of the least-squares functions. */
  final double[] sums = new double[4];

  final double[] compensations = new double[4];
  double slope;
  double intercept;

  int size() {
    return to - from;
  }
}
