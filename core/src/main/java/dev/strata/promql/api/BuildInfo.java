package dev.strata.promql.api;

/**
 * What {@code /api/v1/status/buildinfo} reports. No {@code features} field: Grafana takes a
 * non-empty one for Mimir's and would then call a ruler API Strata does not have.
 */
public record BuildInfo(
    String version, String revision, String branch, String buildUser, String buildDate, String goVersion) {}
