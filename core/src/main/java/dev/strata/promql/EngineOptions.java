package dev.strata.promql;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link Engine}, immutable. The defaults are Prometheus 2.42's: lookback delta 5m,
 * timeout 2m, at most 50,000,000 samples in memory per query, 20 queries at once, and a 1m step for
 * subqueries that do not give one (the global evaluation interval).
 */
public final class EngineOptions {
  private static final EngineOptions DEFAULTS = builder().build();

  private final Duration lookbackDelta;
  private final Duration timeout;
  private final long maxSamples;
  private final int maxConcurrency;
  private final Duration defaultEvaluationInterval;

  private EngineOptions(Builder b) {
    this.lookbackDelta = b.lookbackDelta;
    this.timeout = b.timeout;
    this.maxSamples = b.maxSamples;
    this.maxConcurrency = b.maxConcurrency;
    this.defaultEvaluationInterval = b.defaultEvaluationInterval;
  }

  public static EngineOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.lookbackDelta = lookbackDelta;
    b.timeout = timeout;
    b.maxSamples = maxSamples;
    b.maxConcurrency = maxConcurrency;
    b.defaultEvaluationInterval = defaultEvaluationInterval;
    return b;
  }

  /** How far back an instant selector looks for a sample. */
  public Duration lookbackDelta() {
    return lookbackDelta;
  }

  /** How long a query may run, queueing included. */
  public Duration timeout() {
    return timeout;
  }

  /** The most samples a query may hold in memory at once. */
  public long maxSamples() {
    return maxSamples;
  }

  /** How many queries may run at once; more wait for a slot. */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /** The step of a subquery written without one, {@code x[1h:]}. */
  public Duration defaultEvaluationInterval() {
    return defaultEvaluationInterval;
  }

  @Override
  public String toString() {
    return "EngineOptions{lookbackDelta="
        + lookbackDelta
        + ", timeout="
        + timeout
        + ", maxSamples="
        + maxSamples
        + ", maxConcurrency="
        + maxConcurrency
        + ", defaultEvaluationInterval="
        + defaultEvaluationInterval
        + '}';
  }

  /** Builds {@link EngineOptions}; starts from the defaults. */
  public static final class Builder {
    private Duration lookbackDelta = Duration.ofMinutes(5);
    private Duration timeout = Duration.ofMinutes(2);
    private long maxSamples = 50_000_000;
    private int maxConcurrency = 20;
    private Duration defaultEvaluationInterval = Duration.ofMinutes(1);

    private Builder() {}

    public Builder lookbackDelta(Duration d) {
      this.lookbackDelta = positive(d, "lookbackDelta");
      return this;
    }

    public Builder timeout(Duration d) {
      this.timeout = positive(d, "timeout");
      return this;
    }

    public Builder maxSamples(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxSamples must be positive: " + n);
      }
      this.maxSamples = n;
      return this;
    }

    public Builder maxConcurrency(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxConcurrency must be positive: " + n);
      }
      this.maxConcurrency = n;
      return this;
    }

    public Builder defaultEvaluationInterval(Duration d) {
      this.defaultEvaluationInterval = positive(d, "defaultEvaluationInterval");
      return this;
    }

    public EngineOptions build() {
      return new EngineOptions(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero() || d.toMillis() == 0) {
        throw new IllegalArgumentException(what + " must be at least 1ms: " + d);
      }
      return d;
    }
  }
}
