package dev.strata.promql;

/**
 * The result of a PromQL evaluation: a {@link Scalar}, a {@link StringValue}, an instant {@link
 * Vector} or a range {@link Matrix}.
 */
public sealed interface Value permits Scalar, StringValue, Vector, Matrix {}
