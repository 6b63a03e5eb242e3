package dev.strata.tier.query;

import dev.strata.downsample.Resolutions;
import java.time.Duration;
import java.util.Objects;

/**
 * The lookback of a query by the coarsest resolution it accepts ({@code max_source_resolution}),
 * as Thanos's querier (v0.34) chooses it: an instant selector over 1-hour aggregates finds a
 * sample only if it looks back about an hour, so a query that accepts such data gets a lookback
 * at least that long.
 *
 * <p>With {@code dynamic} ({@code --query.dynamic-lookback-delta}, on by default), the levels
 * raw, 5m and 1h each have a lookback: the configured one ({@code --query.lookback-delta}), or the
 * level's resolution where that is longer. A query gets the lookback of the highest level above
 * raw whose next finer level, and the configured lookback, are both below its {@code
 * max_source_resolution}; the configured lookback otherwise. With the default 5m: 5m up to a
 * resolution of 5m, 1h above it. Without {@code dynamic}, always the configured lookback.
 *
 * @param configured the lookback given by flag (the engine's)
 * @param dynamic whether the lookback widens with the resolution
 */
public record DynamicLookback(Duration configured, boolean dynamic) {
  private static final long[] LEVELS =
      {Resolutions.RAW, Resolutions.FIVE_MINUTES, Resolutions.ONE_HOUR};

  public DynamicLookback {
    Objects.requireNonNull(configured, "configured");
  }

  /** The lookback of a query accepting data down to {@code maxSourceResolutionMs}. */
  public Duration forMaxSourceResolution(long maxSourceResolutionMs) {
    if (!dynamic) {
      return configured;
    }
    long ms = configured.toMillis();
    for (int level = LEVELS.length - 1; level >= 1; level--) {
      if (Math.max(LEVELS[level - 1], ms) < maxSourceResolutionMs) {
        return Duration.ofMillis(Math.max(LEVELS[level], ms));
      }
    }
    return configured;
  }
}
