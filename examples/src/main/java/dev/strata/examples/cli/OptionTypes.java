package dev.strata.examples.cli;

import dev.strata.examples.cli.tsdb.GoDuration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The checked types of the options that count or measure something, for every command: a value out
 * of range is a usage error (exit code 2, with the option named) when the command line is parsed,
 * before any work, instead of a negative count flowing into the work. Declared per option with
 * {@code converter = OptionTypes.Positive.class} and the like.
 */
public final class OptionTypes {
  private OptionTypes() {}

  /** A count or a number of time units that must be at least 1: hosts, days, seconds. */
  public static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n = parse(value);
      if (n < 1) {
        throw new TypeConversionException("'" + value + "' must be at least 1");
      }
      return n;
    }
  }

  /** A count for which 0 means none (promtool's {@code --limit}): at least 0. */
  public static final class NonNegative implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n = parse(value);
      if (n < 0) {
        throw new TypeConversionException("'" + value + "' must be at least 0");
      }
      return n;
    }
  }

  /**
   * A duration in Go's syntax, as promtool's flags take it ({@code 2h}, {@code 90m}, {@code
   * 1h30m}), longer than zero; converted to milliseconds.
   */
  public static final class PositiveGoDuration implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long nanos;
      try {
        nanos = GoDuration.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      if (nanos <= 0) {
        throw new TypeConversionException("'" + value + "' must be longer than 0s");
      }
      return nanos / GoDuration.MILLISECOND;
    }
  }

  /** A limit such as a number of samples: at least 1. */
  public static final class PositiveLong implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long n;
      try {
        n = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number");
      }
      if (n < 1) {
        throw new TypeConversionException("'" + value + "' must be at least 1");
      }
      return n;
    }
  }

  /**
   * A duration as Prometheus's and Thanos's flags take it ({@code 30s}, {@code 5m}, {@code 2h},
   * {@code 1d}, {@code 1w}, {@code 250ms}), longer than zero.
   */
  public static final class PositivePrometheusDuration implements ITypeConverter<java.time.Duration> {
    @Override
    public java.time.Duration convert(String value) {
      long ms;
      try {
        ms = dev.strata.promql.parser.Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration (e.g. 30s, 5m, 2h, 1d): " + e.getMessage());
      }
      if (ms <= 0) {
        throw new TypeConversionException("'" + value + "' must be longer than 0s");
      }
      return java.time.Duration.ofMillis(ms);
    }
  }

  private static int parse(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number");
    }
  }
}
