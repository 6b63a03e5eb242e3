/**
 * The querier's view of its StoreAPI endpoints, as Thanos's querier has it ({@code pkg/query},
 * {@code pkg/store/proxy.go}, {@code pkg/discovery}): endpoints given statically or listed in
 * Prometheus file_sd files ({@link dev.strata.tier.query.FileSd}), checked every few seconds
 * ({@link dev.strata.tier.query.EndpointSet}, whose state {@link dev.strata.tier.query.StoresJson}
 * writes as {@code /api/v1/stores}), the stores a request can concern
 * ({@link dev.strata.tier.query.StoreSelection}), and a {@link dev.strata.tsdb.storage.Querier}
 * that asks them all at once and merges their answers ({@link dev.strata.tier.query.ProxyQuerier});
 * over that, the PromQL engine's source with Thanos's deduplication of HA replicas ({@link
 * dev.strata.tier.query.EndpointQueryable}) and the endpoints served again on the StoreAPI as one
 * store ({@link dev.strata.tier.query.EndpointStoreSource}).
 */
package dev.strata.tier.query;
