package dev.strata.examples.server;

import dev.strata.promql.parser.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * A flag's duration written as Prometheus and Thanos write them ({@code 5m}, {@code 2h}, {@code
 * 1d}, {@code 250ms}); zero or less is refused, as no such flag means anything by it.
 */
public final class PrometheusDuration implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    long ms;
    try {
      ms = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(
          "'" + text + "' is not a duration (e.g. 30s, 5m, 2h, 1d): " + e.getMessage());
    }
    if (ms <= 0) {
      throw new CommandLine.TypeConversionException("'" + text + "' must be longer than zero");
    }
    return Duration.ofMillis(ms);
  }
}
