package dev.strata.promql;

import java.util.Arrays;

/**
 * Quantiles as Prometheus computes them: of a set of values (the {@code quantile} aggregation and
 * {@code quantile_over_time}) and of classic histogram buckets ({@code histogram_quantile}).
 */
final class Quantiles {
  private Quantiles() {}

  /**
   * The q-quantile of {@code values[0..n)} by linear interpolation between closest ranks, {@code
   * rank = q * (n - 1)}. Sorts the array prefix; NaN sorts first, as in Prometheus.
   */
  static double quantile(double q, double[] values, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    Arrays.sort(values, 0, n);
    int nans = 0;
    for (int i = n - 1; i >= 0 && Double.isNaN(values[i]); i--) {
      nans++;
    }
    if (nans > 0) {
      System.arraycopy(values, 0, values, nans, n - nans);
      Arrays.fill(values, 0, nans, Double.NaN);
    }
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
  }

  /**
   * The q-quantile of cumulative buckets {@code (bound[i], count[i])}, {@code n} of them sorted by
   * bound: equal bounds merged, counts forced monotonic, linear interpolation inside the bucket
   * holding the rank. Without a {@code +Inf} bucket the answer is NaN. Overwrites the arrays.
   */
  static double bucketQuantile(double q, double[] bound, double[] count, int n) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (bound[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    // Merge buckets of equal bound.
    int m = 0;
    for (int i = 1; i < n; i++) {
      if (bound[i] == bound[m]) {
        count[m] += count[i];
      } else {
        m++;
        bound[m] = bound[i];
        count[m] = count[i];
      }
    }
    m++;
    // Cumulative counts cannot decrease; scrapes racing with observations can make them.
    double max = count[0];
    for (int i = 1; i < m; i++) {
      if (count[i] > max) {
        max = count[i];
      } else if (count[i] < max) {
        count[i] = max;
      }
    }
    if (m < 2) {
      return Double.NaN;
    }
    double observations = count[m - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < m - 1 && !(count[b] >= rank)) {
      b++;
    }
    if (b == m - 1) {
      return bound[m - 2];
    }
    if (b == 0 && bound[0] <= 0) {
      return bound[0];
    }
    double bucketStart = 0;
    double bucketEnd = bound[b];
    double c = count[b];
    if (b > 0) {
      bucketStart = bound[b - 1];
      c -= count[b - 1];
      rank -= count[b - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / c);
  }
}
