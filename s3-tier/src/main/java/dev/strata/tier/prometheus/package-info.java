/**
 * Prometheus as a source of the Thanos StoreAPI, as {@code thanos sidecar} serves it: a client of
 * the Prometheus HTTP API and its remote read protocol ({@link
 * dev.strata.tier.prometheus.PrometheusClient}), the streamed remote read frame format ({@link
 * dev.strata.tier.prometheus.ChunkedReadFrames}), and the {@link
 * dev.strata.tier.storeapi.StoreSource} over them ({@link
 * dev.strata.tier.prometheus.PrometheusStoreSource}). The remote read messages are generated from
 * {@code src/main/proto/prometheus} into {@code dev.strata.tier.prometheus.proto}.
 */
package dev.strata.tier.prometheus;
