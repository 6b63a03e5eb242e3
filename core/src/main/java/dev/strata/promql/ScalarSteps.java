package dev.strata.promql;

/** A scalar expression's value at every step; a scalar always has one. */
record ScalarSteps(double[] values) implements Evaluated {
  static ScalarSteps constant(double v, int steps) {
    double[] a = new double[steps];
    java.util.Arrays.fill(a, v);
    return new ScalarSteps(a);
  }
}
