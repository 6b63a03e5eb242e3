package dev.strata.downsample;

import java.util.Locale;

/**
 * What a query reads from a downsampled block in place of raw samples: one stored aggregate, or
 * the average of each window ({@code sum / count}). Which one depends on the PromQL function
 * around the selector, by Thanos's rules ({@link #forFunction}).
 */
public enum Aggregation {
  COUNT(AggrType.COUNT),
  SUM(AggrType.SUM),
  MIN(AggrType.MIN),
  MAX(AggrType.MAX),
  /** The counter aggregate with resets removed across chunks: for rate, increase, irate. */
  COUNTER(AggrType.COUNTER),
  /** Each window's sum divided by its count: the stand-in for raw values. */
  AVERAGE(null);

  private final AggrType stored;

  Aggregation(AggrType stored) {
    this.stored = stored;
  }

  /** The stored aggregate this reads, or null for {@link #AVERAGE} (which reads sum and count). */
  public AggrType stored() {
    return stored;
  }

  /**
   * The aggregation Thanos reads for a selector wrapped in the PromQL function (or aggregation
   * operator) {@code function}:
   *
   * <ul>
   *   <li>{@code min}, {@code min_*} (e.g. {@code min_over_time}): {@link #MIN};
   *   <li>{@code max}, {@code max_*}: {@link #MAX};
   *   <li>{@code count}, {@code count_*}: {@link #COUNT};
   *   <li>{@code sum_*} such as {@code sum_over_time}: {@link #SUM} (plain {@code sum} wants the
   *       values themselves, so it falls through to the average);
   *   <li>{@code rate}, {@code increase}, {@code irate}, {@code resets}, {@code xrate}, {@code
   *       xincrease}: {@link #COUNTER};
   *   <li>anything else, including {@code avg_over_time} and a bare selector (null or empty):
   *       {@link #AVERAGE}.
   * </ul>
   */
  public static Aggregation forFunction(String function) {
    if (function == null) {
      return AVERAGE;
    }
    String f = function.strip().toLowerCase(Locale.ROOT);
    if (f.equals("min") || f.startsWith("min_")) {
      return MIN;
    }
    if (f.equals("max") || f.startsWith("max_")) {
      return MAX;
    }
    if (f.equals("count") || f.startsWith("count_")) {
      return COUNT;
    }
    if (f.startsWith("sum_")) {
      return SUM;
    }
    return switch (f) {
      case "increase", "rate", "irate", "resets", "xincrease", "xrate" -> COUNTER;
      default -> AVERAGE;
    };
  }

  /** Parses a name as {@link #valueOf} does, case-insensitively, also accepting {@code avg}. */
  public static Aggregation parse(String name) {
    String n = name.strip().toUpperCase(Locale.ROOT);
    if (n.equals("AVG")) {
      return AVERAGE;
    }
    return valueOf(n);
  }
}
