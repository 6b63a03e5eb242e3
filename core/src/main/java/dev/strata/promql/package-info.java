/**
 * Strata's PromQL engine: instant and range queries with Prometheus 2.42's semantics.
 *
 * <p>The public surface is small: {@link dev.strata.promql.Engine} (thread-safe, configured by
 * {@link dev.strata.promql.EngineOptions}) evaluates a query, text or {@link
 * dev.strata.promql.parser.Expr}, over a {@link dev.strata.promql.Queryable} such as {@code
 * Tsdb::querier}, and returns a {@link dev.strata.promql.QueryResult}: a {@link
 * dev.strata.promql.Scalar}, {@link dev.strata.promql.StringValue}, {@link
 * dev.strata.promql.Vector} or {@link dev.strata.promql.Matrix}, with warnings and {@link
 * dev.strata.promql.QueryStats}. Failures are {@link dev.strata.promql.QueryException}s whose
 * {@link dev.strata.promql.QueryException.ErrorType} maps onto Prometheus's HTTP error types, with
 * Prometheus's messages.
 *
 * <p>Semantics follow Prometheus 2.42 (not 3.x): instant selectors take the newest sample in the
 * closed window {@code [t - lookback, t]} unless it is a staleness marker; range selectors take the
 * closed window {@code [t - range, t]} without markers; subquery steps are aligned to the epoch;
 * {@code rate}/{@code increase}/{@code delta} extrapolate as Prometheus does; range results are
 * sorted by labels and instant results are left in evaluation order. Native histograms are out of
 * scope: Strata stores float samples, and {@code histogram_count}, {@code histogram_sum} and {@code
 * histogram_fraction} return nothing over them, as in 2.42.
 *
 * <p>Evaluation works on all steps of a query at once: each selector is resolved through the index
 * once, its samples decoded once into primitive arrays, and every operator then walks those arrays
 * step by step with moving window indices, with per-series work (labels, groups, matching
 * signatures) done once rather than at every step.
 */
package dev.strata.promql;
