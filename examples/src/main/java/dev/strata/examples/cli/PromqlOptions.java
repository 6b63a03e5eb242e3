package dev.strata.examples.cli;

import dev.strata.promql.EngineOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The PromQL engine's flags every server that evaluates queries takes, with Prometheus's and
 * Thanos's names and defaults. A server adds its own limits (Prometheus's {@code
 * --query.max-concurrency}, Thanos's {@code --query.max-concurrent}) to {@link #engine()}.
 */
public final class PromqlOptions {
  @Option(names = "--query.lookback-delta", paramLabel = "DURATION", defaultValue = "5m",
      converter = OptionTypes.PositivePrometheusDuration.class,
      description = "How far back an instant selector looks for a sample (default ${DEFAULT-VALUE}).")
  Duration lookbackDelta;

  @Option(names = "--query.timeout", paramLabel = "DURATION", defaultValue = "2m",
      converter = OptionTypes.PositivePrometheusDuration.class,
      description = "Maximum time a query may take before it is aborted (default ${DEFAULT-VALUE}).")
  Duration timeout;

  /** The engine's options with these flags set. */
  public EngineOptions.Builder engine() {
    return EngineOptions.builder().lookbackDelta(lookbackDelta).timeout(timeout);
  }

  public Duration lookbackDelta() {
    return lookbackDelta;
  }

  public Duration timeout() {
    return timeout;
  }
}
