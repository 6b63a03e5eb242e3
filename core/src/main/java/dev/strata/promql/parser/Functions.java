package dev.strata.promql.parser;

import static dev.strata.promql.parser.ValueType.MATRIX;
import static dev.strata.promql.parser.ValueType.SCALAR;
import static dev.strata.promql.parser.ValueType.STRING;
import static dev.strata.promql.parser.ValueType.VECTOR;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The 70 functions of Prometheus 2.42, by name. The {@code histogram_count}, {@code histogram_sum}
 * and {@code histogram_fraction} functions parse, as in 2.42, but only work on native histograms,
 * which Strata does not store: over float samples they return nothing, as Prometheus's do.
 */
public final class Functions {
  private static final Map<String, Function> BY_NAME;

  static {
    Map<String, Function> m = new TreeMap<>();
    for (String name : List.of("abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil",
        "cos", "cosh", "deg", "exp", "floor", "histogram_count", "histogram_sum", "ln", "log10",
        "log2", "rad", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "tan", "tanh",
        "timestamp", "absent")) {
      put(m, name, List.of(VECTOR), 0, VECTOR);
    }
    for (String name : List.of("absent_over_time", "avg_over_time", "changes", "count_over_time",
        "delta", "deriv", "idelta", "increase", "irate", "last_over_time", "max_over_time",
        "min_over_time", "present_over_time", "rate", "resets", "stddev_over_time",
        "stdvar_over_time", "sum_over_time")) {
      put(m, name, List.of(MATRIX), 0, VECTOR);
    }
    for (String name : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month",
        "hour", "minute", "month", "year")) {
      put(m, name, List.of(VECTOR), 1, VECTOR);
    }
    put(m, "clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR);
    put(m, "clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR);
    put(m, "clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR);
    put(m, "histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR);
    put(m, "histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR);
    put(m, "holt_winters", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR);
    put(m, "label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR);
    put(m, "label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR);
    put(m, "pi", List.of(), 0, SCALAR);
    put(m, "predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR);
    put(m, "quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR);
    put(m, "round", List.of(VECTOR, SCALAR), 1, VECTOR);
    put(m, "scalar", List.of(VECTOR), 0, SCALAR);
    put(m, "time", List.of(), 0, SCALAR);
    put(m, "vector", List.of(SCALAR), 0, VECTOR);
    BY_NAME = Collections.unmodifiableMap(m);
  }

  private Functions() {}

  private static void put(
      Map<String, Function> m, String name, List<ValueType> args, int variadic, ValueType result) {
    m.put(name, new Function(name, args, variadic, result));
  }

  /** The function of that name, or null. */
  public static Function get(String name) {
    return BY_NAME.get(name);
  }

  /** Every function, by name. */
  public static Map<String, Function> all() {
    return BY_NAME;
  }
}
