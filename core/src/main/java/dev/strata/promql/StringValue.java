package dev.strata.promql;

/** A string at evaluation time {@code timestampMs}. */
public record StringValue(long timestampMs, String value) implements Value {}
