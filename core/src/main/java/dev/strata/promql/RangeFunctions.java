package dev.strata.promql;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The functions of a range vector ({@code rate}, {@code *_over_time}, ...), with Prometheus 2.42's
 * arithmetic: Kahan-compensated sums where Prometheus compensates, plain ones where it does not.
 */
final class RangeFunctions {
  private RangeFunctions() {}

  static final Map<String, RangeFunction> BY_NAME =
      Map.ofEntries(
          Map.entry("rate", w -> extrapolatedRate(w, true, true)),
          Map.entry("increase", w -> extrapolatedRate(w, true, false)),
          Map.entry("delta", w -> extrapolatedRate(w, false, false)),
          Map.entry("irate", w -> instantValue(w, true)),
          Map.entry("idelta", w -> instantValue(w, false)),
          Map.entry("resets", RangeFunctions::resets),
          Map.entry("changes", RangeFunctions::changes),
          Map.entry("deriv", RangeFunctions::deriv),
          Map.entry("predict_linear", RangeFunctions::predictLinear),
          Map.entry("holt_winters", RangeFunctions::holtWinters),
          Map.entry("avg_over_time", RangeFunctions::avgOverTime),
          Map.entry("count_over_time", w -> set(w, w.size())),
          Map.entry("last_over_time", w -> set(w, w.v[w.to - 1])),
          Map.entry("present_over_time", w -> set(w, 1)),
          Map.entry("absent_over_time", w -> set(w, 1)),
          Map.entry("max_over_time", RangeFunctions::maxOverTime),
          Map.entry("min_over_time", RangeFunctions::minOverTime),
          Map.entry("sum_over_time", RangeFunctions::sumOverTime),
          Map.entry("quantile_over_time", RangeFunctions::quantileOverTime),
          Map.entry("stddev_over_time", w -> set(w, Math.sqrt(variance(w)))),
          Map.entry("stdvar_over_time", w -> set(w, variance(w))));

  private static boolean set(RangeWindow w, double v) {
    w.result = v;
    return true;
  }

  /**
   * {@code rate}, {@code increase} and {@code delta}: the change over the window, corrected for
   * counter resets, extrapolated towards the window's bounds by at most half an average sample
   * interval unless a bound is nearer than 1.1 intervals (and, for counters, not below zero).
   */
  static boolean extrapolatedRate(RangeWindow w, boolean isCounter, boolean isRate) {
    int n = w.size();
    if (n < 2) {
      return false;
    }
    long[] t = w.t;
    double[] v = w.v;
    int first = w.from;
    int last = w.to - 1;
    double result = v[last] - v[first];
    if (isCounter) {
      double prev = v[first];
      for (int i = first + 1; i <= last; i++) {
        double cur = v[i];
        if (cur < prev) {
          result += prev;
        }
        prev = cur;
      }
    }
    double durationToStart = (t[first] - w.rangeStart) / 1000.0;
    double durationToEnd = (w.rangeEnd - t[last]) / 1000.0;
    double sampledInterval = (t[last] - t[first]) / 1000.0;
    double averageInterval = sampledInterval / (n - 1);
    if (isCounter && result > 0 && v[first] >= 0) {
      double durationToZero = sampledInterval * (v[first] / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    double threshold = averageInterval * 1.1;
    double extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;
    double factor = extrapolateTo / sampledInterval;
    if (isRate) {
      factor /= w.rangeMs / 1000.0;
    }
    w.result = result * factor;
    return true;
  }

  /** {@code irate} and {@code idelta}: from the last two samples. */
  static boolean instantValue(RangeWindow w, boolean isRate) {
    if (w.size() < 2) {
      return false;
    }
    int last = w.to - 1;
    double lastV = w.v[last];
    double prevV = w.v[last - 1];
    double result = isRate && lastV < prevV ? lastV : lastV - prevV;
    long interval = w.t[last] - w.t[last - 1];
    if (interval == 0) {
      return false;
    }
    if (isRate) {
      result /= interval / 1000.0;
    }
    w.result = result;
    return true;
  }

  private static boolean resets(RangeWindow w) {
    int resets = 0;
    double prev = w.v[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double cur = w.v[i];
      if (cur < prev) {
        resets++;
      }
      prev = cur;
    }
    return set(w, resets);
  }

  private static boolean changes(RangeWindow w) {
    int changes = 0;
    double prev = w.v[w.from];
    for (int i = w.from + 1; i < w.to; i++) {
      double cur = w.v[i];
      if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
        changes++;
      }
      prev = cur;
    }
    return set(w, changes);
  }

  private static boolean deriv(RangeWindow w) {
    if (w.size() < 2) {
      return false;
    }
    linearRegression(w, w.t[w.from]);
    return set(w, w.slope);
  }

  private static boolean predictLinear(RangeWindow w) {
    if (w.size() < 2) {
      return false;
    }
    linearRegression(w, w.stepTime);
    return set(w, w.slope * w.arg0 + w.intercept);
  }

  /**
   * Least squares over the window, x in seconds from {@code interceptTime}, into {@link
   * RangeWindow#slope} and {@link RangeWindow#intercept}.
   */
  static void linearRegression(RangeWindow w, long interceptTime) {
    double n = 0;
    double[] sums = w.sums;
    double[] comps = w.compensations;
    java.util.Arrays.fill(sums, 0);
    java.util.Arrays.fill(comps, 0);
    double initY = w.v[w.from];
    boolean constY = true;
    for (int i = w.from; i < w.to; i++) {
      double y = w.v[i];
      if (constY && i > w.from && y != initY) {
        constY = false;
      }
      n += 1;
      double x = (w.t[i] - interceptTime) / 1e3;
      addCompensated(sums, comps, X, x);
      addCompensated(sums, comps, Y, y);
      addCompensated(sums, comps, XY, x * y);
      addCompensated(sums, comps, X2, x * x);
    }
    if (constY) {
      w.slope = Double.isInfinite(initY) ? Double.NaN : 0;
      w.intercept = Double.isInfinite(initY) ? Double.NaN : initY;
      return;
    }
    double sumX = sums[X] + comps[X];
    double sumY = sums[Y] + comps[Y];
    double sumXY = sums[XY] + comps[XY];
    double sumX2 = sums[X2] + comps[X2];
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    w.slope = covXY / varX;
    w.intercept = sumY / n - w.slope * sumX / n;
  }

  // Indexes of the four running sums of the least-squares fit.
  private static final int X = 0;
  private static final int Y = 1;
  private static final int XY = 2;
  private static final int X2 = 3;

  private static void addCompensated(double[] sums, double[] comps, int k, double inc) {
    double t = sums[k] + inc;
    comps[k] += kahanCompensation(sums[k], inc, t);
    sums[k] = t;
  }

  /** Neumaier's correction term for {@code t = sum + inc}. */
  static double kahanCompensation(double sum, double inc, double t) {
    return Math.abs(sum) >= Math.abs(inc) ? (sum - t) + inc : (inc - t) + sum;
  }

  private static boolean holtWinters(RangeWindow w) {
    double sf = w.arg0;
    double tf = w.arg1;
    if (sf <= 0 || sf >= 1) {
      throw QueryException.execution(
          String.format(
              Locale.ROOT, "invalid smoothing factor. Expected: 0 < sf < 1, got: %f", sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw QueryException.execution(
          String.format(Locale.ROOT, "invalid trend factor. Expected: 0 < tf < 1, got: %f", tf));
    }
    int l = w.size();
    if (l < 2) {
      return false;
    }
    double[] v = w.v;
    int f = w.from;
    double s0 = 0;
    double s1 = v[f];
    double b = v[f + 1] - v[f];
    for (int i = 1; i < l; i++) {
      double x = sf * v[f + i];
      if (i - 1 != 0) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return set(w, s1);
  }

  private static boolean avgOverTime(RangeWindow w) {
    double mean = 0, c = 0, count = 0;
    for (int i = w.from; i < w.to; i++) {
      double v = w.v[i];
      count++;
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
          continue;
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue;
        }
      }
      double inc = v / count - mean / count;
      double s = mean + inc;
      c += kahanCompensation(mean, inc, s);
      mean = s;
    }
    return set(w, Double.isInfinite(mean) ? mean : mean + c);
  }

  private static boolean maxOverTime(RangeWindow w) {
    double max = w.v[w.from];
    for (int i = w.from; i < w.to; i++) {
      double v = w.v[i];
      if (v > max || Double.isNaN(max)) {
        max = v;
      }
    }
    return set(w, max);
  }

  private static boolean minOverTime(RangeWindow w) {
    double min = w.v[w.from];
    for (int i = w.from; i < w.to; i++) {
      double v = w.v[i];
      if (v < min || Double.isNaN(min)) {
        min = v;
      }
    }
    return set(w, min);
  }

  private static boolean sumOverTime(RangeWindow w) {
    double sum = 0, c = 0;
    for (int i = w.from; i < w.to; i++) {
      double v = w.v[i];
      double s = sum + v;
      c += kahanCompensation(sum, v, s);
      sum = s;
    }
    return set(w, Double.isInfinite(sum) ? sum : sum + c);
  }

  private static boolean quantileOverTime(RangeWindow w) {
    double[] values = Arrays.copyOfRange(w.v, w.from, w.to);
    return set(w, Quantiles.quantile(w.arg0, values, values.length));
  }

  /** Population variance, Welford with Kahan-compensated accumulators as in Prometheus. */
  private static double variance(RangeWindow w) {
    double count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
    for (int i = w.from; i < w.to; i++) {
      double v = w.v[i];
      count++;
      double delta = v - (mean + cMean);
      double inc = delta / count;
      double s = mean + inc;
      cMean += kahanCompensation(mean, inc, s);
      mean = s;
      double inc2 = delta * (v - (mean + cMean));
      s = aux + inc2;
      cAux += kahanCompensation(aux, inc2, s);
      aux = s;
    }
    return (aux + cAux) / count;
  }
}
