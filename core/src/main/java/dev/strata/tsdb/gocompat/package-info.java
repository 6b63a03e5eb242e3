/**
 * Go's standard-library algorithms where Prometheus's output depends on their exact behaviour
 * beyond what their contracts promise: the element order of its unstable sort, the order of its
 * binary heap, and the special cases of its {@code math.Min}/{@code math.Max}.
 */
package dev.strata.tsdb.gocompat;
