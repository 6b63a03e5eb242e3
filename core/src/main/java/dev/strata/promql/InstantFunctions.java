package dev.strata.promql;

import dev.strata.tsdb.gocompat.GoMath;
import dev.strata.tsdb.labels.Labels;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToIntFunction;

/** Functions of instant vectors and scalars, applied step by step. */
final class InstantFunctions {
  private InstantFunctions() {}

  /** A value transformation that may depend on the step (for scalar arguments). */
  @FunctionalInterface
  interface StepValueFunction {
    /** The new value, or {@link #DROP} to leave the step without output. */
    double apply(int step, double v);
  }

  /** Marker for "no output at this step"; a NaN payload no arithmetic produces. */
  static final long DROP_BITS = 0x7ff0000000000d0fL;

  static final double DROP = Double.longBitsToDouble(DROP_BITS);

  private static final double LN2 = Math.log(2);

  static final Map<String, DoubleUnaryOperator> MATH =
      Map.ofEntries(
          Map.entry("abs", Math::abs),
          Map.entry("ceil", Math::ceil),
          Map.entry("floor", Math::floor),
          Map.entry("exp", Math::exp),
          Map.entry("sqrt", Math::sqrt),
          Map.entry("ln", Math::log),
          Map.entry("log2", InstantFunctions::log2),
          Map.entry("log10", Math::log10),
          Map.entry("sin", Math::sin),
          Map.entry("cos", Math::cos),
          Map.entry("tan", Math::tan),
          Map.entry("asin", Math::asin),
          Map.entry("acos", Math::acos),
          Map.entry("atan", Math::atan),
          Map.entry("sinh", Math::sinh),
          Map.entry("cosh", Math::cosh),
          Map.entry("tanh", Math::tanh),
          Map.entry("asinh", InstantFunctions::asinh),
          Map.entry("acosh", InstantFunctions::acosh),
          Map.entry("atanh", InstantFunctions::atanh),
          Map.entry("rad", v -> v * Math.PI / 180),
          Map.entry("deg", v -> v * 180 / Math.PI),
          Map.entry("sgn", v -> v < 0 ? -1 : v > 0 ? 1 : v));

  private static final Map<String, ToIntFunction<OffsetDateTime>> DATE =
      Map.of(
          "day_of_month", OffsetDateTime::getDayOfMonth,
          "day_of_week", t -> t.getDayOfWeek().getValue() % 7,
          "day_of_year", OffsetDateTime::getDayOfYear,
          "days_in_month", t -> t.toLocalDate().lengthOfMonth(),
          "hour", OffsetDateTime::getHour,
          "minute", OffsetDateTime::getMinute,
          "month", OffsetDateTime::getMonthValue,
          "year", OffsetDateTime::getYear);

  static Evaluated call(String name, List<Evaluated> args, Steps steps) {
    int n = steps.count();
    DoubleUnaryOperator math = MATH.get(name);
    if (math != null) {
      return mapValues(vec(args, 0), true, (step, v) -> math.applyAsDouble(v));
    }
    ToIntFunction<OffsetDateTime> date = DATE.get(name);
    if (date != null) {
      if (args.isEmpty()) {
        StepVector out = new StepVector(n);
        StepSeries s = new StepSeries(Labels.EMPTY, n);
        for (int i = 0; i < n; i++) {
          s.set(i, dateField(date, steps.at(i) / 1000));
        }
        out.series.add(s);
        return out;
      }
      return mapValues(vec(args, 0), true, (step, v) -> dateField(date, (long) v));
    }
    switch (name) {
      case "round":
        {
          double[] nearest = args.size() > 1 ? scalar(args, 1) : null;
          return mapValues(
              vec(args, 0),
              true,
              (step, v) -> {
                double inverse = 1.0 / (nearest == null ? 1 : nearest[step]);
                return Math.floor(v * inverse + 0.5) / inverse;
              });
        }
      case "clamp":
        {
          double[] min = scalar(args, 1);
          double[] max = scalar(args, 2);
          return mapValues(
              vec(args, 0),
              true,
              (step, v) ->
                  max[step] < min[step] ? DROP : GoMath.max(min[step], GoMath.min(max[step], v)));
        }
      case "clamp_max":
        {
          double[] max = scalar(args, 1);
          return mapValues(vec(args, 0), true, (step, v) -> GoMath.min(max[step], v));
        }
      case "clamp_min":
        {
          double[] min = scalar(args, 1);
          return mapValues(vec(args, 0), true, (step, v) -> GoMath.max(min[step], v));
        }
      case "timestamp":
        {
          // Not a selector: every point carries its evaluation time.
          return mapValues(vec(args, 0), true, (step, v) -> steps.at(step) / 1000.0);
        }
      case "sort":
        return sort(vec(args, 0), false);
      case "sort_desc":
        return sort(vec(args, 0), true);
      case "scalar":
        {
          StepVector in = vec(args, 0);
          double[] out = new double[n];
          for (int i = 0; i < n; i++) {
            int count = 0;
            double value = Double.NaN;
            for (StepSeries s : in.series) {
              if (s.present[i]) {
                count++;
                value = s.values[i];
              }
            }
            out[i] = count == 1 ? value : Double.NaN;
          }
          return new ScalarSteps(out);
        }
      case "vector":
        {
          StepVector out = new StepVector(n);
          StepSeries s = new StepSeries(Labels.EMPTY, n);
          double[] v = scalar(args, 0);
          for (int i = 0; i < n; i++) {
            s.set(i, v[i]);
          }
          out.series.add(s);
          return out;
        }
      case "time":
        {
          double[] out = new double[n];
          for (int i = 0; i < n; i++) {
            out[i] = steps.at(i) / 1000.0;
          }
          return new ScalarSteps(out);
        }
      case "pi":
        return ScalarSteps.constant(Math.PI, n);
      case "label_replace":
        return LabelFunctions.labelReplace(
            vec(args, 0), str(args, 1), str(args, 2), str(args, 3), str(args, 4));
      case "label_join":
        {
          List<String> src = new ArrayList<>();
          for (int i = 3; i < args.size(); i++) {
            src.add(str(args, i));
          }
          return LabelFunctions.labelJoin(vec(args, 0), str(args, 1), str(args, 2), src);
        }
      case "histogram_quantile":
        return HistogramQuantile.eval(scalar(args, 0), vec(args, 1));
      case "histogram_count":
      case "histogram_sum":
      case "histogram_fraction":
        // Native histograms only: float samples give nothing, as in Prometheus 2.42.
        return new StepVector(n);
      default:
        throw new QueryException(
            QueryException.ErrorType.INTERNAL, "function " + name + " is not implemented");
    }
  }

  private static StepVector vec(List<Evaluated> args, int i) {
    return (StepVector) args.get(i);
  }

  private static double[] scalar(List<Evaluated> args, int i) {
    return ((ScalarSteps) args.get(i)).values();
  }

  private static String str(List<Evaluated> args, int i) {
    return ((StringConstant) args.get(i)).value();
  }

  /**
   * Applies {@code f} to every point; with {@code dropName} the metric name goes, and two series
   * that become equal fail at a step where both have a value, as in Prometheus.
   */
  static StepVector mapValues(StepVector in, boolean dropName, StepValueFunction f) {
    StepVector out = new StepVector(in.steps);
    for (StepSeries s : in.series) {
      int idx = out.output(dropName ? s.labels.dropMetricName() : s.labels);
      for (int i = 0; i < in.steps; i++) {
        if (s.present[i]) {
          double v = f.apply(i, s.values[i]);
          if (Double.doubleToRawLongBits(v) != DROP_BITS) {
            out.put(idx, i, v);
          }
        }
      }
    }
    return out.compact();
  }

  /**
   * {@code sort} and {@code sort_desc}: meaningful for an instant query only, whose single step
   * orders the series; NaN sorts last either way. Range results are sorted by labels anyway.
   */
  private static StepVector sort(StepVector in, boolean descending) {
    if (in.steps != 1) {
      return in;
    }
    List<StepSeries> sorted = new ArrayList<>(in.series);
    Comparator<StepSeries> byValue =
        (a, b) -> {
          double x = a.values[0];
          double y = b.values[0];
          boolean xn = Double.isNaN(x);
          boolean yn = Double.isNaN(y);
          if (xn || yn) {
            return Boolean.compare(xn, yn);
          }
          return descending ? Double.compare(y, x) : Double.compare(x, y);
        };
    sorted.sort(byValue);
    return new StepVector(1, sorted);
  }

  private static double dateField(ToIntFunction<OffsetDateTime> f, long epochSeconds) {
    try {
      return f.applyAsInt(Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC));
    } catch (DateTimeException | ArithmeticException e) {
      return Double.NaN;
    }
  }

  /** Go's {@code math.Log2}: exact for powers of two. */
  static double log2(double x) {
    if (x > 0 && !Double.isInfinite(x) && x >= Double.MIN_NORMAL) {
      int exp = Math.getExponent(x);
      double frac = x / Math.scalb(1.0, exp); // in [1, 2)
      if (frac == 1.0) {
        return exp;
      }
      return Math.log(frac) / LN2 + exp;
    }
    return Math.log(x) / LN2;
  }

  static double asinh(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) {
      return x;
    }
    double a = Math.abs(x);
    double r = a > 1e8 ? Math.log(a) + Math.log(2) : Math.log(a + Math.sqrt(a * a + 1));
    return x < 0 ? -r : r;
  }

  static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    if (x > 1e8) {
      return Math.log(x) + Math.log(2);
    }
    return Math.log(x + Math.sqrt(x * x - 1));
  }

  static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    return 0.5 * Math.log1p(2 * x / (1 - x));
  }
}
