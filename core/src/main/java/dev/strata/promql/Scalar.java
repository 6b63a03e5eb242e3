package dev.strata.promql;

/** A single number at evaluation time {@code timestampMs}. */
public record Scalar(long timestampMs, double value) implements Value {}
