package dev.strata.promql;

/**
 * What a query cost: the series selected from storage, the samples decoded from them, the peak of
 * samples held at once (what {@link EngineOptions#maxSamples()} bounds) and the wall-clock time
 * spent evaluating.
 */
public record QueryStats(long series, long samples, long peakSamples, long evaluationNanos) {}
